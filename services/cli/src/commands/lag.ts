import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { commonEnv, loadConfig } from '@triage/config';
import {
  baseClientOptions,
  connectionFromConfig,
  consumerLag,
  deployedTopic,
  type KafkaConnection,
  laneGroupId,
  pipelineTopics,
  type RebuildLane,
} from '@triage/messaging';
import { indexerGroupId, indexerGroups } from '@triage/search';
import type { Command } from 'commander';

/** Each stage's consumer group (its service's env variable and default) and the topic it reads. */
const stages = [
  { stage: 'splitter', groupEnv: 'SPLITTER_GROUP_ID', group: 'splitter', topic: pipelineTopics.bundles.name },
  { stage: 'hasher', groupEnv: 'HASHER_GROUP_ID', group: 'hasher', topic: pipelineTopics.items.name },
  { stage: 'dedupe', groupEnv: 'DEDUPE_GROUP_ID', group: 'dedupe', topic: pipelineTopics.mediaObserved.name },
  {
    stage: 'enricher',
    groupEnv: 'ENRICHER_GROUP_ID',
    group: 'enricher',
    topic: pipelineTopics.itemsHashed.name,
  },
  // The scorer's one group reads two topics.
  { stage: 'scorer', groupEnv: 'SCORER_GROUP_ID', group: 'scorer', topic: pipelineTopics.reports.name },
  {
    stage: 'scorer',
    groupEnv: 'SCORER_GROUP_ID',
    group: 'scorer',
    topic: pipelineTopics.itemsEnriched.name,
  },
  // The indexer's groups, one row per input; the env variable is the groups' common prefix.
  ...indexerGroups.flatMap((group) =>
    group.inputs.map((topic) => ({
      stage: `indexer ${group.name}`,
      groupEnv: 'INDEXER_GROUP_ID',
      group: 'indexer',
      topic,
      indexerGroup: group,
      groupOf: (base: string) => indexerGroupId(base, group),
    })),
  ),
] as const;

type StageEntry = (typeof stages)[number];

/** A stage's group id: its env variable or default, named out in full for the indexer's groups. */
function groupOf(entry: StageEntry): string {
  const base = process.env[entry.groupEnv] || entry.group;
  return 'groupOf' in entry ? entry.groupOf(base) : base;
}

/** Whether the stage's group runs where `connection` does: live, or in its rebuild lane. */
function runsIn(entry: StageEntry, lane: RebuildLane | undefined): boolean {
  if (lane === undefined) return true;
  if ('indexerGroup' in entry) return entry.indexerGroup.inputs.some((input) => lane.topics.has(input));
  return lane.stages.has(entry.stage);
}

/** One consumer group's input: the stage (`indexer cases` for the indexer's groups), group id and deployed topic. */
export interface StageInput {
  stage: string;
  groupId: string;
  /** The catalogue name, and the deployed name. */
  name: string;
  topic: string;
}

/** Every stage group's inputs, in pipeline order, live or in `connection`'s rebuild lane (group ids from the services' env). */
export function stageInputs(connection: KafkaConnection): StageInput[] {
  return stages
    .filter((entry) => runsIn(entry, connection.lane))
    .map((entry) => ({
      stage: entry.stage,
      groupId: laneGroupId(groupOf(entry), connection.lane),
      name: entry.topic,
      topic: deployedTopic(connection, entry.topic),
    }));
}

/** Each stage's records left to read, in pipeline order. */
export function stageLags(admin: Admin, connection: KafkaConnection) {
  return Promise.all(
    stageInputs(connection).map(async (input) => ({
      stage: input.stage,
      ...(await consumerLag(admin, input.groupId, input.topic)),
    })),
  );
}

/** `triage lag [--wait]`: how many records each stage has left, optionally waiting until none. */
export function registerLagCommand(program: Command): void {
  program
    .command('lag')
    .description("Records each stage's consumer group has left to read (group ids from the services' env)")
    .option('--wait', 'poll until every stage has caught up, then exit 0 (exit 1 on --timeout)')
    .option('--timeout <seconds>', 'give up waiting after this long', '300')
    .action(async (flags: { wait?: boolean; timeout: string }) => {
      const config = loadConfig(commonEnv, process.env);
      const connection = connectionFromConfig(config);
      const admin = new Admin(baseClientOptions(connection, 'lag'));
      const deadline = Date.now() + Number(flags.timeout) * 1000;
      try {
        for (;;) {
          const lags = await stageLags(admin, connection);
          const pending = lags.reduce((sum, lag) => sum + lag.pending, 0);
          if (!flags.wait) {
            console.table(
              lags.map(({ stage, groupId, topic, pending: left }) => ({
                stage,
                groupId,
                topic,
                pending: left,
              })),
            );
            return;
          }
          process.stderr.write(`\r${lags.map((lag) => `${lag.stage} ${lag.pending}`).join(' | ')}   `);
          if (pending === 0) {
            process.stderr.write('\ncaught up\n');
            return;
          }
          if (Date.now() > deadline) {
            process.stderr.write('\ntimed out waiting for the stages to catch up\n');
            process.exitCode = 1;
            return;
          }
          await sleep(1000);
        }
      } finally {
        await admin.close();
      }
    });
}
