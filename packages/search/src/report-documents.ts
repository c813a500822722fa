import { TriageError } from '@triage/errors';
import { indexPrefix, type SearchIndexId, searchIndices } from './index-catalogue.ts';
import type { MediaDocument } from './media-document.ts';
import { type SearchClient, searchError } from './search-client.ts';

/**
 * A report's documents in Elasticsearch, for its erasure (docs/adr/0020-report-erasure.md): the
 * case, items and actions naming it and the media documents listing it, in every version and
 * rebuild-lane copy of each index under a deployment prefix. Elasticsearch here has no
 * `_delete_by_query`, so documents are found page by page and deleted by id in one bulk.
 */

type ReportIndexKind = Exclude<SearchIndexId, 'audit'>;

/** The field each kind's documents name the report by, and the keyword its pages are sorted on. */
const kinds: Record<ReportIndexKind, { reportField: string; sortField: string }> = {
  cases: { reportField: 'reportId', sortField: 'reportId' },
  items: { reportField: 'reportId', sortField: 'itemId' },
  actions: { reportField: 'reportId', sortField: 'actionId' },
  media: { reportField: 'reportIds', sortField: 'sha256' },
};

const pageSize = 1_000;

/** A stored document: its concrete index, `_id` and the source fields asked for. */
export interface StoredDocument<S = Record<string, unknown>> {
  index: string;
  id: string;
  source: S;
}

export interface ReportDocuments {
  cases: StoredDocument[];
  items: StoredDocument<{ itemId: string; sha256: string | null }>[];
  actions: StoredDocument[];
  media: StoredDocument<MediaDocument>[];
}

/** The concrete indices of a kind: every version and lane copy (`<prefix><name>-v<n>[.<lane>]`). */
async function concreteIndices(client: SearchClient, prefix: string, kind: ReportIndexKind) {
  const pattern = `${indexPrefix(prefix)}${searchIndices[kind].name}-v*`;
  try {
    const found = await client.indices.get({
      index: pattern,
      allow_no_indices: true,
      expand_wildcards: 'open',
    });
    return Object.keys(found).sort();
  } catch (error) {
    throw searchError(error, `list ${pattern}`);
  }
}

/** Every document of `kind` whose field holds `value`, in every copy, page by page. */
async function findAll<S>(
  client: SearchClient,
  prefix: string,
  kind: ReportIndexKind,
  query: Record<string, unknown>,
  source: string[] | true,
): Promise<StoredDocument<S>[]> {
  const found: StoredDocument<S>[] = [];
  const { sortField } = kinds[kind];
  for (const index of await concreteIndices(client, prefix, kind)) {
    let after: unknown[] | undefined;
    for (;;) {
      let hits: { _index: string; _id?: string | null; _source?: unknown; sort?: unknown[] }[];
      try {
        const answer = await client.search({
          index,
          query,
          size: pageSize,
          _source: source,
          sort: [{ [sortField]: 'asc' }],
          ...(after === undefined ? {} : { search_after: after as never }),
        });
        hits = answer.hits.hits;
      } catch (error) {
        throw searchError(error, `search ${index}`);
      }
      for (const hit of hits)
        found.push({ index: hit._index, id: String(hit._id), source: hit._source as S });
      if (hits.length < pageSize) break;
      after = hits.at(-1)?.sort;
    }
  }
  return found;
}

/** The report's case, items, actions and the media documents listing it, in every copy under `prefix`. */
export async function findReportDocuments(
  client: SearchClient,
  prefix: string,
  reportId: string,
): Promise<ReportDocuments> {
  const term = (kind: ReportIndexKind) => ({ term: { [kinds[kind].reportField]: reportId } });
  const [cases, items, actions, media] = await Promise.all([
    findAll<Record<string, unknown>>(client, prefix, 'cases', term('cases'), ['reportId']),
    findAll<{ itemId: string; sha256: string | null }>(client, prefix, 'items', term('items'), [
      'itemId',
      'sha256',
    ]),
    findAll<Record<string, unknown>>(client, prefix, 'actions', term('actions'), ['actionId']),
    findAll<MediaDocument>(client, prefix, 'media', term('media'), true),
  ]);
  return { cases, items, actions, media };
}

/**
 * Per file, the distinct other reports whose items carry it (every copy of the items index):
 * a file with none is the erased report's alone.
 */
export async function otherReportsCarrying(
  client: SearchClient,
  prefix: string,
  sha256s: readonly string[],
  reportId: string,
): Promise<Map<string, Set<string>>> {
  const others = new Map<string, Set<string>>(sha256s.map((sha256) => [sha256, new Set()]));
  if (sha256s.length === 0) return others;
  const items = await findAll<{ reportId: string; sha256: string }>(
    client,
    prefix,
    'items',
    { bool: { filter: [{ terms: { sha256: [...sha256s] } }], must_not: [{ term: { reportId } }] } },
    ['reportId', 'sha256'],
  );
  for (const { source } of items) others.get(source.sha256)?.add(source.reportId);
  return others;
}

/**
 * A media document without the erased report: out of `reportIds`, and no longer its first
 * sighting (the sighting count, a number, stays).
 */
export function mediaWithoutReport(document: MediaDocument, reportId: string): MediaDocument {
  const firstSeen = document.firstSeenReportId === reportId;
  return {
    ...document,
    reportIds: document.reportIds.filter((id) => id !== reportId),
    ...(firstSeen ? { firstSeenReportId: null, firstSeenItemId: null } : {}),
  };
}

export interface ErasedDocuments {
  cases: number;
  items: number;
  actions: number;
  /** Media documents deleted (their file is erased from the content store, or no report is left on them). */
  mediaDeleted: number;
  /** Media documents rewritten without the report (the file is another report's too). */
  mediaRewritten: number;
}

/**
 * Deletes the report's documents found by `findReportDocuments` and, for each media document,
 * deletes it when its file is in `deleteMedia`, else rewrites it without the report; refreshes,
 * so a search right after no longer finds them. Idempotent: a document already gone is fine.
 */
export async function eraseReportDocuments(
  client: SearchClient,
  options: { reportId: string; found: ReportDocuments; deleteMedia: ReadonlySet<string> },
): Promise<ErasedDocuments> {
  const { found, reportId } = options;
  const deleting = [...found.cases, ...found.items, ...found.actions];
  // A media document left with no report goes too: the items of a report that still carries the
  // file write it again (and the erase command and an indexer may both get here, in either order).
  const goes = (doc: StoredDocument<MediaDocument>) =>
    options.deleteMedia.has(doc.source.sha256) ||
    (!doc.source.reportIdsTruncated && mediaWithoutReport(doc.source, reportId).reportIds.length === 0);
  const mediaDeleted = found.media.filter(goes);
  const mediaRewritten = found.media.filter((doc) => !goes(doc));
  const operations: unknown[] = [];
  for (const doc of [...deleting, ...mediaDeleted])
    operations.push({ delete: { _index: doc.index, _id: doc.id } });
  for (const doc of mediaRewritten) {
    operations.push({ index: { _index: doc.index, _id: doc.id } }, mediaWithoutReport(doc.source, reportId));
  }
  if (operations.length > 0) {
    let answer: Awaited<ReturnType<SearchClient['bulk']>>;
    try {
      answer = await client.bulk({ operations, refresh: true });
    } catch (error) {
      throw searchError(error, `erase ${reportId}`);
    }
    const failed = answer.items.filter((item) => {
      const outcome = Object.values(item)[0];
      return outcome !== undefined && outcome.status >= 300 && outcome.status !== 404;
    });
    if (failed.length > 0) {
      const reason = Object.values(failed[0]!)[0]?.error?.type ?? 'error';
      throw new TriageError(
        'TRIAGE_ELASTICSEARCH_REJECTED',
        `erase ${reportId}: ${failed.length} of ${operations.length} operations refused (${reason})`,
      );
    }
  }
  return {
    cases: found.cases.length,
    items: found.items.length,
    actions: found.actions.length,
    mediaDeleted: mediaDeleted.length,
    mediaRewritten: mediaRewritten.length,
  };
}
