import { type IndexSpec, searchIndices } from './index-catalogue.ts';

/** One consumer group of the indexer: the topics it reads (catalogue names) and the indices it writes. */
export interface IndexerGroup {
  readonly name: 'cases' | 'items' | 'media' | 'audit';
  readonly inputs: readonly string[];
  readonly writes: readonly IndexSpec[];
}

/**
 * The indexer's groups, here so that the indexer and the operator CLI (`triage lag`) name them
 * alike. Several inputs of one group are co-partitioned (same key and partition count).
 */
export const indexerGroups: readonly IndexerGroup[] = [
  {
    name: 'cases',
    inputs: ['cases.v1', 'triage.actions.v1', 'reports.v1'],
    writes: [searchIndices.cases, searchIndices.actions],
  },
  { name: 'items', inputs: ['items.enriched.v1'], writes: [searchIndices.items, searchIndices.media] },
  { name: 'media', inputs: ['media.v1'], writes: [searchIndices.media] },
  { name: 'audit', inputs: ['audit.v1'], writes: [searchIndices.audit] },
];

/**
 * The indexer groups that run: all of them live, or in a rebuild lane only those reading a topic
 * the lane rebuilds (docs/adr/0014-replay-and-rebuild-lanes.md).
 */
export function indexerGroupsIn(lane?: { readonly topics: ReadonlySet<string> }): readonly IndexerGroup[] {
  if (lane === undefined) return indexerGroups;
  return indexerGroups.filter((group) => group.inputs.some((input) => lane.topics.has(input)));
}

/** The indices the groups running in `lane` write (once each). */
export function indicesWrittenIn(lane?: { readonly topics: ReadonlySet<string> }): IndexSpec[] {
  return [...new Set(indexerGroupsIn(lane).flatMap((group) => group.writes))];
}

/**
 * `<groupId>.<group>.<index>-v<version>...`: a new version of any index a group writes is a new
 * consumer group, which reads its inputs from the start and so fills the new index by replay.
 */
export function indexerGroupId(groupId: string, group: Pick<IndexerGroup, 'name' | 'writes'>): string {
  return [groupId, group.name, ...group.writes.map((spec) => `${spec.name}-v${spec.version}`)].join('.');
}
