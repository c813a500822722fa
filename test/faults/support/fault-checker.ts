// The check every fault scenario ends with: once the feed has settled, Elasticsearch must hold
// every accepted item exactly once under its deterministic id, nothing the truth does not have,
// and per report and per file the counts and tiers of the ground truth. A redelivery that was
// counted again shows as a count above the truth (a case's itemsSeen, a file's sightings, a
// repeated sighting ordinal); a lost record as a missing document or a count below it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { GroundTruth } from '@triage/feed';
import {
  type CaseDocument,
  documentId,
  type ItemDocument,
  indexNames,
  type MediaDocument,
  type SearchClient,
  searchIndices,
} from '@triage/search';
import { reportOf, truthItemIds } from './fault-feed.ts';

export interface FaultFigures {
  /** Truth items (files and URLs) with no items document, plus truth reports with no case. */
  lost: number;
  /**
   * Items documents beyond one per item id, documents (items, cases) the truth does not have,
   * and counts above the truth: a case's itemsSeen over its items, a file's sightings over the
   * reports carrying it, a sighting ordinal given twice.
   */
  duplicated: number;
  /** Everything else that differs from the truth (tier, a provisional case, a gap in ordinals...): must be empty. */
  mismatches: string[];
  items: number;
  reports: number;
}

interface Hit<T> {
  _id: string;
  _index: string;
  _source?: T;
}

/** Every document of an alias (scrolled: the full feed has more than one page of items). */
async function allDocuments<T>(search: SearchClient, index: string, fields: string[]): Promise<Hit<T>[]> {
  await search.indices.refresh({ index });
  const hits: Hit<T>[] = [];
  let page = await search.search<T>({
    index,
    scroll: '2m',
    size: 5_000,
    _source: fields,
    query: { match_all: {} },
  });
  try {
    while (page.hits.hits.length > 0) {
      hits.push(...(page.hits.hits as Hit<T>[]));
      page = await search.scroll<T>({ scroll_id: page._scroll_id!, scroll: '2m' });
    }
  } finally {
    if (page._scroll_id) await search.clearScroll({ scroll_id: page._scroll_id }).catch(() => undefined);
  }
  return hits;
}

/** Reads the three indices and compares them with the truth. */
export async function checkAgainstTruth(
  search: SearchClient,
  prefix: string,
  truth: GroundTruth,
): Promise<FaultFigures> {
  const alias = (spec: (typeof searchIndices)[keyof typeof searchIndices]) => indexNames(prefix, spec).alias;
  const expected = truthItemIds(truth);
  const expectedIds = new Set([...expected.values()].flat());
  const mismatches: string[] = [];
  let lost = 0;
  let duplicated = 0;

  // Items: each truth item once, under documentId(itemId), nothing else.
  type ItemFields = Pick<ItemDocument, 'itemId' | 'reportId' | 'sha256' | 'dedupe'>;
  const items = await allDocuments<ItemFields>(search, alias(searchIndices.items), [
    'itemId',
    'reportId',
    'sha256',
    'dedupe.reportCount',
  ]);
  const byItem = new Map<string, Hit<ItemFields>[]>();
  for (const hit of items) {
    const itemId = hit._source!.itemId;
    byItem.set(itemId, [...(byItem.get(itemId) ?? []), hit]);
    if (hit._id !== documentId(itemId)) mismatches.push(`item ${itemId} under _id ${hit._id}`);
  }
  for (const itemId of expectedIds) if (!byItem.has(itemId)) lost++;
  for (const [itemId, hits] of byItem) {
    if (!expectedIds.has(itemId)) duplicated += hits.length;
    else duplicated += hits.length - 1;
  }

  // Cases: one final case per report with the truth's item count and tier.
  const cases = await allDocuments<CaseDocument>(search, alias(searchIndices.cases), [
    'reportId',
    'hasCase',
    'tier',
    'provisional',
    'itemsSeen',
    'itemsExpected',
  ]);
  const caseOf = new Map(
    cases.filter((hit) => hit._source!.hasCase).map((hit) => [hit._source!.reportId, hit._source!]),
  );
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
    const seen = found.itemsSeen ?? 0;
    if (seen > items) duplicated += seen - items;
    if (seen < items) mismatches.push(`${report.reportId}: itemsSeen ${seen} of ${items}`);
    if (found.itemsExpected !== items)
      mismatches.push(`${report.reportId}: itemsExpected ${found.itemsExpected}, truth ${items}`);
  }
  const reportIds = new Set(truth.reports.map((report) => report.reportId));
  duplicated += [...caseOf.keys()].filter((reportId) => !reportIds.has(reportId)).length;

  // Files: sightings (distinct reports) as many as the truth's carriers, ordinals 1..n.
  const carriers = new Map<string, Set<string>>();
  for (const item of truth.items)
    carriers.set(item.sha256, (carriers.get(item.sha256) ?? new Set()).add(reportOf(item.itemId)));
  const media = await allDocuments<MediaDocument>(search, alias(searchIndices.media), [
    'sha256',
    'sightings',
  ]);
  const sightingsOf = new Map(media.map((hit) => [hit._source!.sha256, hit._source!.sightings]));
  for (const [sha256, reports] of carriers) {
    const sightings = sightingsOf.get(sha256) ?? 0;
    if (sightings > reports.size) duplicated += sightings - reports.size;
    if (sightings < reports.size)
      mismatches.push(`file ${sha256}: ${sightings} sightings of ${reports.size}`);
  }
  duplicated += [...sightingsOf.keys()].filter((sha256) => !carriers.has(sha256)).length;
  const ordinals = new Map<string, Map<string, number>>();
  for (const hit of items) {
    const { sha256, reportId, dedupe } = hit._source!;
    if (sha256 === null || dedupe === null || dedupe === undefined) continue;
    const perReport = ordinals.get(sha256) ?? new Map<string, number>();
    perReport.set(reportId, dedupe.reportCount);
    ordinals.set(sha256, perReport);
  }
  for (const [sha256, perReport] of ordinals) {
    const values = [...perReport.values()].sort((a, b) => a - b);
    const distinct = new Set(values);
    duplicated += values.length - distinct.size;
    const expectedOrdinals = Array.from({ length: carriers.get(sha256)?.size ?? 0 }, (_, i) => i + 1);
    if (distinct.size === values.length && values.join() !== expectedOrdinals.join())
      mismatches.push(`file ${sha256}: ordinals ${values.join(',')}`);
  }
  return { lost, duplicated, mismatches, items: expectedIds.size, reports: truth.reports.length };
}

/**
 * Waits until the indices hold the whole feed (every item indexed, every report's case final
 * with all its items), or until nothing has changed for `quietMs` (what is missing then is lost),
 * or `timeoutMs`. Returns how long it waited.
 */
export async function untilSettled(
  search: SearchClient,
  prefix: string,
  truth: GroundTruth,
  options: { quietMs?: number; timeoutMs?: number } = {},
): Promise<number> {
  const started = Date.now();
  const quietMs = options.quietMs ?? 90_000;
  const deadline = started + (options.timeoutMs ?? 1_800_000);
  const expected = truthItemIds(truth);
  const items = [...expected.values()].reduce((sum, ids) => sum + ids.length, 0);
  let last = '';
  let changedAt = Date.now();
  for (;;) {
    const state = await settledState(search, prefix).catch(() => undefined);
    if (state) {
      const done =
        state.items >= items &&
        truth.reports.every(
          (report) => state.final.get(report.reportId) === expected.get(report.reportId)!.length,
        );
      if (done) return Date.now() - started;
      const stamp = `${state.items}/${state.finalSum}/${state.final.size}`;
      if (stamp !== last) {
        last = stamp;
        changedAt = Date.now();
      }
    }
    if (Date.now() - changedAt > quietMs || Date.now() > deadline) return Date.now() - started;
    await sleep(2_000);
  }
}

async function settledState(search: SearchClient, prefix: string) {
  const itemsAlias = indexNames(prefix, searchIndices.items).alias;
  const casesAlias = indexNames(prefix, searchIndices.cases).alias;
  await search.indices.refresh({ index: [itemsAlias, casesAlias] });
  const items = (await search.count({ index: itemsAlias })).count;
  const final = new Map<string, number>();
  const hits = await allDocuments<CaseDocument>(search, casesAlias, [
    'reportId',
    'hasCase',
    'provisional',
    'itemsSeen',
  ]);
  let finalSum = 0;
  for (const hit of hits) {
    const doc = hit._source!;
    if (doc.hasCase && !doc.provisional) {
      final.set(doc.reportId, doc.itemsSeen ?? 0);
      finalSum += doc.itemsSeen ?? 0;
    }
  }
  return { items, final, finalSum };
}
