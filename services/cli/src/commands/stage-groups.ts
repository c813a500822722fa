import type { Admin } from '@platformatic/kafka';
import {
  consumerLag,
  deployedTopic,
  type KafkaConnection,
  laneGroupId,
  type PipelineStage,
  pipelineTopics,
  type RebuildLane,
} from '@triage/messaging';
import { type IndexerGroup, indexerGroupId, indexerGroups, indexerGroupsIn } from '@triage/search';

/**
 * Each stage's consumer group (its service's env variable and default) and the topic it reads:
 * the one table `triage lag`, `triage up`, `triage status` and `triage replay` read. A group that
 * reads several topics has one row per topic.
 */
const stageGroups = [
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
      indexerGroup: group as IndexerGroup,
      groupOf: (base: string) => indexerGroupId(base, group),
    })),
  ),
  // Beside the pipeline: the hoster monitor reads the hotlines' takedown events.
  {
    stage: 'hoster-monitor',
    groupEnv: 'HOSTER_MONITOR_GROUP_ID',
    group: 'hoster-monitor',
    topic: pipelineTopics.takedowns.name,
  },
] as const;

type StageGroup = (typeof stageGroups)[number];

/** A stage's group id: its env variable or default, named out in full for the indexer's groups. */
function stageGroupId(entry: StageGroup, env: NodeJS.ProcessEnv = process.env): string {
  const base = env[entry.groupEnv] || entry.group;
  return 'groupOf' in entry ? entry.groupOf(base) : base;
}

/**
 * Each pipeline stage's base group id, from its service's env variable or the default: what
 * `triage kafka acls` grants (prefixed, so the indexer's per-index and the lanes' groups match).
 */
export function stageGroupBases(
  env: NodeJS.ProcessEnv = process.env,
): Partial<Record<PipelineStage, string>> {
  const bases: Partial<Record<PipelineStage, string>> = {};
  for (const entry of stageGroups) {
    const stage = entry.stage.split(' ')[0] as PipelineStage;
    bases[stage] = env[entry.groupEnv] || entry.group;
  }
  return bases;
}

/** Whether the stage's group runs where `connection` does: live, or in its rebuild lane. */
function runsIn(entry: StageGroup, lane: RebuildLane | undefined): boolean {
  if (lane === undefined) return true;
  if ('indexerGroup' in entry) return indexerGroupsIn(lane).includes(entry.indexerGroup);
  // No lane rebuilds takedowns.v1: the hoster monitor runs live only.
  if (entry.stage === 'hoster-monitor') return false;
  return lane.stages.has(entry.stage);
}

/** One consumer group's input: the stage (`indexer cases` for the indexer's groups), group id and topic. */
export interface StageInput {
  stage: string;
  groupId: string;
  /** The catalogue name, and the deployed name. */
  name: string;
  topic: string;
}

/**
 * Every stage group's inputs in pipeline order, live or in `connection`'s rebuild lane (only the
 * lane's groups, under their lane ids and topic names); group ids from the services' env.
 */
export function stageInputs(connection: KafkaConnection, env: NodeJS.ProcessEnv = process.env): StageInput[] {
  return stageGroups
    .filter((entry) => runsIn(entry, connection.lane))
    .map((entry) => ({
      stage: entry.stage,
      groupId: laneGroupId(stageGroupId(entry, env), connection.lane),
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
