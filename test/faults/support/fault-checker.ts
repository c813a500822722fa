// The check every fault scenario ends with: once the feed has settled, Elasticsearch must hold
// every accepted item exactly once under its deterministic id, nothing the truth does not have,
// and per report and per file the counts and tiers of the ground truth. A redelivery that was
// counted again shows as a count above the truth (a case's itemsSeen, a file's sightings, a
// repeated sighting ordinal); a lost record as a missing document or a count below it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { GroundTruth } from '@triage/feed';
import {
  type CaseDocument,
  type ItemDocument,
  indexNames,
  type MediaDocument,
  type SearchClient,
  searchIndices,
} from '@triage/search';
import { truthItemIds } from './fault-feed.ts';
import { type FaultFigures, faultFigures } from './fault-figures.ts';

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

/** Reads the three indices and compares them with the truth (`faultFigures`). */
export async function checkAgainstTruth(
  search: SearchClient,
  prefix: string,
  truth: GroundTruth,
): Promise<FaultFigures> {
  const alias = (spec: (typeof searchIndices)[keyof typeof searchIndices]) => indexNames(prefix, spec).alias;
  type ItemFields = Pick<ItemDocument, 'itemId' | 'reportId' | 'sha256' | 'dedupe'>;
  const [items, cases, media] = await Promise.all([
    allDocuments<ItemFields>(search, alias(searchIndices.items), [
      'itemId',
      'reportId',
      'sha256',
      'dedupe.reportCount',
    ]),
    allDocuments<CaseDocument>(search, alias(searchIndices.cases), [
      'reportId',
      'hasCase',
      'tier',
      'provisional',
      'itemsSeen',
      'itemsExpected',
    ]),
    allDocuments<MediaDocument>(search, alias(searchIndices.media), ['sha256', 'sightings']),
  ]);
  return faultFigures(
    {
      items: items.map(({ _id, _source }) => ({
        id: _id,
        itemId: _source!.itemId,
        reportId: _source!.reportId,
        sha256: _source!.sha256 ?? null,
        ordinal: _source!.dedupe?.reportCount ?? null,
      })),
      cases: cases
        .map((hit) => hit._source!)
        .filter((doc) => doc.hasCase)
        .map((doc) => ({
          reportId: doc.reportId,
          tier: doc.tier ?? null,
          provisional: doc.provisional ?? true,
          itemsSeen: doc.itemsSeen ?? 0,
          itemsExpected: doc.itemsExpected ?? 0,
        })),
      media: media.map((hit) => ({ sha256: hit._source!.sha256, sightings: hit._source!.sightings })),
    },
    truth,
  );
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
