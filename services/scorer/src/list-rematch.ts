import type { KnownHashIndex } from '@triage/hash-lists';
import type { OutboundRecord } from '@triage/messaging';
import type { EnrichedItem, HashMatch } from '@triage/schemas';
import type { CaseWriter } from './case-writer.ts';
import type { ReportAggregator } from './report-aggregator.ts';
import type { ReportState } from './report-state.ts';

export interface RematchDeps {
  state: ReportState;
  aggregator: ReportAggregator;
  writer: CaseWriter;
  /** The entries of the re-matched lists only (the scorer's own copy of them). */
  index: KnownHashIndex;
  /** The lists `index` holds: an item's matches of these are replaced, its other matches kept. */
  lists: ReadonlySet<string>;
}

const matchKey = (match: HashMatch) =>
  `${match.listName}\n${match.listVersion}\n${match.hashType}\n${match.category}\n${match.distance}\n${match.variant}`;
const sameMatches = (a: readonly HashMatch[], b: readonly HashMatch[]) =>
  a.length === b.length && a.map(matchKey).sort().join('\u0000') === b.map(matchKey).sort().join('\u0000');

/** The item with its matches of the re-matched lists as the index finds them now; null when they are unchanged. */
export function rematchedItem(
  item: EnrichedItem,
  index: KnownHashIndex,
  lists: ReadonlySet<string>,
): EnrichedItem | null {
  if (item.hashes === null) return null;
  const kept = item.matches.filter((match) => !lists.has(match.listName));
  const matches = [...kept, ...index.match(item.hashes).filter((match) => lists.has(match.listName))];
  return sameMatches(item.matches, matches) ? null : { ...item, matches };
}

/**
 * Cases of the reports held here whose items' matches of the re-matched lists changed (a file
 * confirmed by analysts after it was scored, or a confirmation withdrawn): the items are updated
 * in the state and the case is written again, in report id order. The hasher matches every item
 * that comes later; this reaches the ones scored before the list changed. One pass over the items
 * of each partition (PDQ matches by distance, so no index by hash finds them all): on disk it
 * decodes every item once, past the cache, and reads only the changed reports' cases back.
 */
export function rematchCases(deps: RematchDeps): OutboundRecord[] {
  const changed: { partition: number; reportId: string }[] = [];
  for (const partition of deps.state.partitions()) {
    const reports = new Set<string>();
    const updates: EnrichedItem[] = [];
    for (const item of deps.state.allItems(partition)) {
      const updated = rematchedItem(item, deps.index, deps.lists);
      if (updated === null) continue;
      updates.push(updated);
      reports.add(item.item.reportId);
    }
    // Written after the pass: a store on disk reads its rows while they are walked.
    for (const updated of updates) deps.state.putItem(partition, updated);
    for (const reportId of reports) changed.push({ partition, reportId });
  }
  const outputs: OutboundRecord[] = [];
  for (const { partition, reportId } of changed.sort((a, b) => (a.reportId < b.reportId ? -1 : 1))) {
    const progress = deps.aggregator.progress(partition, reportId);
    if (progress) outputs.push(deps.writer.write(progress, 'listMatch'));
  }
  return outputs;
}
