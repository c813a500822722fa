// The pure half of the fault check: what Elasticsearch holds after a scenario, compared with the
// ground truth, as `lost` and `duplicated` (docs/reliability.md#faults defines both) plus every
// other difference. The reads are in fault-checker.ts.
import type { GroundTruth } from '@triage/feed';
import { documentId } from '@triage/search';
import { reportOf, truthItemIds } from './fault-feed.ts';

/** What the three indices hold, as far as the check reads them. */
export interface IndexedState {
  /** Every items document: `_id`, the item, and dedupe's ordinal (`dedupe.reportCount`; null for URLs). */
  items: readonly {
    id: string;
    itemId: string;
    reportId: string;
    sha256: string | null;
    ordinal: number | null;
  }[];
  /** Every cases document with a case. */
  cases: readonly {
    reportId: string;
    tier: string | null;
    provisional: boolean;
    itemsSeen: number;
    itemsExpected: number;
  }[];
  /** Every media document: the file and the distinct reports dedupe counted carrying it. */
  media: readonly { sha256: string; sightings: number }[];
}

export interface FaultFigures {
  /** Truth items (files and URLs) with no items document, plus truth reports with no case. */
  lost: number;
  /**
   * Items documents beyond one per item id, documents (items, cases, media) the truth does not
   * have, and counts above the truth: a case's itemsSeen over its items, a file's sightings over
   * the reports carrying it, a sighting ordinal given twice (to two reports, or two within one).
   */
  duplicated: number;
  /** Everything else that differs from the truth (tier, a provisional case, a gap in ordinals...): must be empty. */
  mismatches: string[];
  items: number;
  reports: number;
}

export function faultFigures(state: IndexedState, truth: GroundTruth): FaultFigures {
  const expected = truthItemIds(truth);
  const expectedIds = new Set([...expected.values()].flat());
  const mismatches: string[] = [];
  let lost = 0;
  let duplicated = 0;

  // Items: each truth item once, under documentId(itemId), nothing else.
  const copies = new Map<string, number>();
  for (const item of state.items) {
    copies.set(item.itemId, (copies.get(item.itemId) ?? 0) + 1);
    if (item.id !== documentId(item.itemId)) mismatches.push(`item ${item.itemId} under _id ${item.id}`);
  }
  for (const itemId of expectedIds) if (!copies.has(itemId)) lost++;
  for (const [itemId, count] of copies) duplicated += expectedIds.has(itemId) ? count - 1 : count;

  // Cases: one final case per report with the truth's item count and tier.
  const caseOf = new Map(state.cases.map((found) => [found.reportId, found]));
  for (const report of truth.reports) {
    const found = caseOf.get(report.reportId);
    const items = expected.get(report.reportId)!.length;
    if (!found) {
      lost++;
      continue;
    }
    if (found.tier !== report.tier)
      mismatches.push(`${report.reportId}: tier ${found.tier}, truth ${report.tier}`);
    if (found.provisional) mismatches.push(`${report.reportId}: case still provisional`);
    if (found.itemsSeen > items) duplicated += found.itemsSeen - items;
    if (found.itemsSeen < items)
      mismatches.push(`${report.reportId}: itemsSeen ${found.itemsSeen} of ${items}`);
    if (found.itemsExpected !== items)
      mismatches.push(`${report.reportId}: itemsExpected ${found.itemsExpected}, truth ${items}`);
  }
  const reportIds = new Set(truth.reports.map((report) => report.reportId));
  duplicated += [...caseOf.keys()].filter((reportId) => !reportIds.has(reportId)).length;

  // Files: sightings (distinct reports) as many as the truth's carriers.
  const carriers = new Map<string, Set<string>>();
  for (const item of truth.items)
    carriers.set(item.sha256, (carriers.get(item.sha256) ?? new Set()).add(reportOf(item.itemId)));
  const sightingsOf = new Map(state.media.map((media) => [media.sha256, media.sightings]));
  for (const [sha256, reports] of carriers) {
    const sightings = sightingsOf.get(sha256) ?? 0;
    if (sightings > reports.size) duplicated += sightings - reports.size;
    if (sightings < reports.size)
      mismatches.push(`file ${sha256}: ${sightings} sightings of ${reports.size}`);
  }
  duplicated += [...sightingsOf.keys()].filter((sha256) => !carriers.has(sha256)).length;

  // Ordinals: the n-th report carrying a file gets n; every report of a file one, 1..n in all.
  const ordinals = new Map<string, Map<string, Set<number>>>();
  for (const item of state.items) {
    if (item.sha256 === null || item.ordinal === null) continue;
    const perReport = ordinals.get(item.sha256) ?? new Map<string, Set<number>>();
    perReport.set(item.reportId, (perReport.get(item.reportId) ?? new Set()).add(item.ordinal));
    ordinals.set(item.sha256, perReport);
  }
  for (const [sha256, perReport] of ordinals) {
    const given = [...perReport.values()].flatMap((values) => [...values]).sort((a, b) => a - b);
    const distinct = [...new Set(given)];
    duplicated += given.length - distinct.length;
    const full = Array.from({ length: carriers.get(sha256)?.size ?? 0 }, (_, index) => index + 1);
    if (given.length === distinct.length && distinct.join() !== full.join())
      mismatches.push(`file ${sha256}: ordinals ${distinct.join(',')}`);
  }
  return { lost, duplicated, mismatches, items: expectedIds.size, reports: truth.reports.length };
}
