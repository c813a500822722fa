import { commonEnv, loadConfig } from '@triage/config';
import { allTopics, bootstrapTopics, connectionFromConfig, withDeadLetterTopics } from '@triage/messaging';
import type { Command } from 'commander';

/** `triage topics list|bootstrap`: the topic catalogue, and creating it on a cluster. */
export function registerTopicCommands(program: Command): void {
  const topics = program.command('topics').description('The Kafka topic catalogue');

  topics
    .command('list')
    .description('Print the topic catalogue (name, key, record, partitions, cleanup, DLQ)')
    .action(() => {
      const rows = withDeadLetterTopics(allTopics).map((spec) => ({
        topic: spec.name,
        key: spec.key,
        record: spec.record,
        partitions: spec.partitions,
        cleanup: spec.cleanupPolicy,
        retention: spec.retentionMs === -1 ? 'forever' : `${Math.round(spec.retentionMs / 86_400_000)} d`,
      }));
      console.table(rows);
    });

  topics
    .command('bootstrap')
    .description('Create every catalogue topic and its dead-letter topic (idempotent)')
    .option('--replication-factor <n>', 'replicas per partition (3 in production)', '1')
    .action(async (options: { replicationFactor: string }) => {
      const config = loadConfig(commonEnv, process.env);
      const result = await bootstrapTopics({
        connection: connectionFromConfig(config),
        topics: allTopics,
        replicationFactor: Number(options.replicationFactor),
      });
      console.log(`created ${result.created.length}, existing ${result.existing.length}`);
      for (const topic of result.created) console.log(`  + ${topic}`);
      for (const mismatch of result.mismatched) {
        console.error(
          `  ! ${mismatch.topic}: ${mismatch.actual} partitions, catalogue says ${mismatch.expected}`,
        );
      }
      if (result.mismatched.length > 0) process.exitCode = 1;
    });
}
