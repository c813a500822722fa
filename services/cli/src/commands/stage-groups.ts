import type { Admin } from '@platformatic/kafka';
import { consumerLag, deployedTopic, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { indexerGroupId, indexerGroups } from '@triage/search';

/**
 * Each stage's consumer group (its service's env variable and default) and the topic it reads:
 * the one table `triage lag`, `triage up` and `triage status` read. A group that reads several
 * topics has one row per topic.
 */
export const stageGroups = [
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
      groupOf: (base: string) => indexerGroupId(base, group),
    })),
  ),
] as const;

export type StageGroup = (typeof stageGroups)[number];

/** A stage's group id: its env variable or default, named out in full for the indexer's groups. */
export function stageGroupId(entry: StageGroup, env: NodeJS.ProcessEnv = process.env): string {
  const base = env[entry.groupEnv] || entry.group;
  return 'groupOf' in entry ? entry.groupOf(base) : base;
}

/** Each stage's records left to read, in pipeline order (group ids from the services' env). */
export function stageLags(admin: Admin, connection: KafkaConnection) {
  return Promise.all(
    stageGroups.map(async (entry) => ({
      stage: entry.stage,
      ...(await consumerLag(admin, stageGroupId(entry), deployedTopic(connection, entry.topic))),
    })),
  );
}
