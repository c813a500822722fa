import { commonEnv, loadConfig } from '@triage/config';
import {
  allTopics,
  bootstrapTopics,
  connectionFromConfig,
  type TopicDrift,
  withDeadLetterTopics,
} from '@triage/messaging';
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
    .description(
      'Create every catalogue topic and its dead-letter topic (idempotent), and report how existing ' +
        'topics drift from the catalogue (partitions, replicas, clean-up, retention, record size); ' +
        'exit 1 while drift remains',
    )
    .option('--replication-factor <n>', 'replicas per partition (3 in production)', '1')
    .option('--apply', 'fix the drift that loses no record (topic configs); partition counts never')
    .action(async (options: { replicationFactor: string; apply?: boolean }) => {
      const config = loadConfig(commonEnv, process.env);
      const result = await bootstrapTopics({
        connection: connectionFromConfig(config),
        topics: allTopics,
        replicationFactor: Number(options.replicationFactor),
        apply: options.apply === true,
      });
      console.log(`created ${result.created.length}, existing ${result.existing.length}`);
      for (const topic of result.created) console.log(`  + ${topic}`);
      const lines = driftLines(result.drift);
      if (lines.length > 0) console.log(`drift: ${result.drift.length} topic(s)`);
      for (const line of lines) console.log(line);
      if (driftRemains(result.drift)) process.exitCode = 1;
    });
}

/** One line per drifted setting: what the catalogue says, and what was or must be done about it. */
function driftLines(drift: readonly TopicDrift[]): string[] {
  return drift.flatMap((topic) =>
    topic.entries.map((entry) => {
      const change = `${topic.topic} ${entry.setting}: ${entry.actual}, catalogue ${entry.expected}`;
      if (entry.fix.kind === 'manual') return `  ! ${change}: needs a manual migration (${entry.fix.reason})`;
      return topic.applied ? `  ~ ${change}: fixed` : `  ~ ${change}: --apply fixes it`;
    }),
  );
}

/** Drift that is still there after the run: any manual entry, or fixable entries not applied. */
function driftRemains(drift: readonly TopicDrift[]): boolean {
  return drift.some((topic) => !topic.applied || topic.entries.some((entry) => entry.fix.kind === 'manual'));
}
