import { TriageError } from '@triage/errors';
import { type PipelineTopicId, pipelineTopics, stateTopics } from './pipeline-topics.ts';
import { deadLetterTopicName } from './topic-spec.ts';

type StateTopicId = keyof typeof stateTopics;

interface StageTopics {
  readonly reads: readonly PipelineTopicId[];
  /** Topics the stage writes that are derived data (rebuilt in a lane). */
  readonly writes: readonly PipelineTopicId[];
  /** Its state stores' changelogs and the tables it writes and reads back. */
  readonly state: readonly StateTopicId[];
}

/**
 * The stages in pipeline order with the topics each reads and writes. A stage's writes here are
 * only derived data: the splitter's split status on `intake.status.v1` is the partners' receipt
 * and stays on the live topic, and no stage writes the analysts' actions or the audit trail.
 */
export const pipelineStages = {
  splitter: { reads: ['bundles'], writes: ['reports', 'items'], state: [] },
  hasher: { reads: ['items'], writes: ['mediaObserved', 'itemsHashed'], state: [] },
  dedupe: {
    reads: ['mediaObserved'],
    writes: ['itemsHashed', 'media'],
    state: ['dedupeMedia', 'dedupeSightings'],
  },
  enricher: { reads: ['itemsHashed'], writes: ['itemsEnriched'], state: [] },
  scorer: {
    reads: ['reports', 'itemsEnriched'],
    writes: ['cases'],
    state: ['scorerReports', 'scorerItems', 'suspectIdentifiers'],
  },
  indexer: {
    reads: ['cases', 'triageActions', 'reports', 'itemsEnriched', 'media', 'audit'],
    writes: [],
    state: [],
  },
  // Beside the pipeline: hotlines' takedown events into notice cases (Elasticsearch only).
  'hoster-monitor': { reads: ['takedowns'], writes: [], state: [] },
} as const satisfies Record<string, StageTopics>;

export type PipelineStage = keyof typeof pipelineStages;

export const pipelineStageNames = Object.keys(pipelineStages) as PipelineStage[];

/**
 * A rebuild lane: the pipeline from one stage on, run a second time beside the live one. The
 * lane's stages read the live topics upstream of it and write every topic they derive (and their
 * state) under the lane's own names, so nothing live changes until the operator switches the
 * search aliases to the lane's indices (docs/adr/0014-replay-and-rebuild-lanes.md).
 */
export interface RebuildLane {
  /** Lower-case letters, digits and dashes: it appears in topic, group and index names. */
  readonly name: string;
  /** The first stage rebuilt; every stage downstream of it is rebuilt too. */
  readonly from: PipelineStage;
  /** Logical names of the topics the lane writes under its own names. */
  readonly topics: ReadonlySet<string>;
  /** The stages that run in the lane. */
  readonly stages: ReadonlySet<PipelineStage>;
}

const laneNamePattern = /^[a-z0-9][a-z0-9-]{0,30}$/;

/** The lane `name` rebuilding the pipeline from `from` on. */
export function rebuildLane(name: string, from: string): RebuildLane {
  if (!laneNamePattern.test(name)) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `rebuild lane "${name}": use 1-31 lower-case letters, digits and dashes`,
    );
  }
  if (!(from in pipelineStages)) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `rebuild lane "${name}": unknown stage "${from}" (one of ${pipelineStageNames.join(', ')})`,
    );
  }
  if (from === 'hoster-monitor') {
    // Its notice-case documents are upserts keyed by case: a replay (`triage replay reset`) rewrites them in place.
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `rebuild lane "${name}": the hoster monitor has no lane; replay it with triage replay reset`,
    );
  }
  const stages = new Set<PipelineStage>([from as PipelineStage]);
  const topics = new Set<PipelineTopicId>();
  const state = new Set<StateTopicId>();
  // Pipeline order: a stage joins the lane when it reads a topic the lane rebuilds.
  for (const stage of pipelineStageNames) {
    const spec: StageTopics = pipelineStages[stage];
    if (!stages.has(stage) && !spec.reads.some((topic) => topics.has(topic))) continue;
    stages.add(stage);
    for (const topic of spec.writes) topics.add(topic);
    for (const topic of spec.state) state.add(topic);
  }
  return {
    name,
    from: from as PipelineStage,
    stages,
    topics: new Set([
      ...[...topics].map((id) => pipelineTopics[id].name),
      // A lane's stage dead-letters what it reads to that topic's own dead-letter topic.
      ...[...topics].flatMap((id) => {
        const spec = pipelineTopics[id];
        return spec.deadLetter ? [deadLetterTopicName(spec.name)] : [];
      }),
      ...[...state].map((id) => stateTopics[id].name),
    ]),
  };
}

/** `rebuild.<lane>.`: what a lane puts before the names of the topics it rebuilds. */
export function laneTopicPrefix(lane: Pick<RebuildLane, 'name'>): string {
  return `rebuild.${lane.name}.`;
}

/** A consumer group in a lane is a fresh group of its own: it reads its inputs from the start. */
export function laneGroupId(groupId: string, lane: Pick<RebuildLane, 'name'> | undefined): string {
  return lane === undefined ? groupId : `${groupId}.rebuild.${lane.name}`;
}

/** Parses `REBUILD_LANE` (`<name>:<from stage>`); empty means the live pipeline. */
export function parseRebuildLane(value: string): RebuildLane | undefined {
  if (value === '') return undefined;
  const [name = '', from = '', ...rest] = value.split(':');
  if (rest.length > 0 || from === '') {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `REBUILD_LANE "${value}": expected <lane name>:<first stage>, e.g. rules-2:scorer`,
      { details: { variables: ['REBUILD_LANE'] } },
    );
  }
  return rebuildLane(name, from);
}
