import { TriageError } from '@triage/errors';
import type { TriageAction } from '@triage/schemas';
import {
  indexNames,
  type MediaDocument,
  type SearchClient,
  type SearchIndexId,
  searchError,
  searchIndices,
} from '@triage/search';
import { type AuditQueryInput, auditSearchRequest, auditSortName } from './audit-query.ts';
import { type CaseFacet, type CaseQueryInput, caseFacetFields, caseSearchRequest } from './case-query.ts';
import { encodeCursor, type SortValue } from './cursor.ts';

export interface SearchDeps {
  client: SearchClient;
  /** The deployment's index prefix (`indexPrefix(KAFKA_TOPIC_PREFIX)`). */
  prefix: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface FacetBucket {
  value: string;
  count: number;
}

export type CaseQueue = Page<Record<string, unknown>> & { facets: Record<CaseFacet, FacetBucket[]> };

/** Most items, actions and files one case view returns (a report carries a few hundred at most). */
const caseViewLimit = 1_000;

interface Hit {
  _source?: unknown;
  sort?: SortValue[];
}

export const alias = (deps: SearchDeps, id: SearchIndexId) =>
  indexNames(deps.prefix, searchIndices[id]).alias;

/**
 * An Elasticsearch call as a catalogue error. A missing index is not a refused request: the
 * indexer has not created the indices of this deployment yet, so it is retryable unavailability.
 */
export async function run<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const type = (error as { body?: { error?: { type?: unknown } } } | null)?.body?.error?.type;
    if (type === 'index_not_found_exception') {
      throw new TriageError('TRIAGE_ELASTICSEARCH_UNAVAILABLE', `${action}: the index does not exist yet`, {
        cause: error,
        retryable: true,
      });
    }
    throw searchError(error, action);
  }
}

function totalOf(total: number | { value: number } | undefined): number {
  return typeof total === 'number' ? total : (total?.value ?? 0);
}

/** A page of hits, with the cursor after its last hit when the page is full. */
function pageOf(
  hits: readonly Hit[],
  limit: number,
  sortName: string,
  total: number,
): Page<Record<string, unknown>> {
  const last = hits.at(-1);
  return {
    items: hits.map((hit) => hit._source as Record<string, unknown>),
    total,
    nextCursor: hits.length === limit && last?.sort ? encodeCursor(sortName, last.sort) : null,
  };
}

/** The queue: one page of cases, the total and the facets of every case the filters match. */
export async function searchCases(deps: SearchDeps, input: CaseQueryInput): Promise<CaseQueue> {
  const request = caseSearchRequest(input);
  const response = await run('search the queue', () =>
    deps.client.search({ index: alias(deps, 'cases'), ...request }),
  );
  const aggregations = (response.aggregations ?? {}) as Record<
    string,
    { buckets?: { key: string | number; key_as_string?: string; doc_count: number }[] }
  >;
  const facets = Object.fromEntries(
    Object.keys(caseFacetFields).map((name) => [
      name,
      (aggregations[name]?.buckets ?? []).map((bucket) => ({
        value: bucket.key_as_string ?? String(bucket.key),
        count: bucket.doc_count,
      })),
    ]),
  ) as Record<CaseFacet, FacetBucket[]>;
  const page = pageOf(response.hits.hits, request.size, input.sort ?? 'score', totalOf(response.hits.total));
  return { ...page, facets };
}

export interface CaseView {
  case: Record<string, unknown>;
  items: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  /** The override in force (the newest tierOverride of the history): tier, who and why; null when none. */
  tierOverride: TierOverrideView | null;
}

interface TierOverrideView {
  tier: string;
  reason: string | null;
  actor: string;
  role: string;
  at: number;
  actionId: string;
}

/** The newest tier override of a history in fold order (`at`, then `actionId`): the one the queue follows. */
export function overrideInForce(actions: readonly Record<string, unknown>[]): TierOverrideView | null {
  const last = actions.findLast((action) => action.type === 'tierOverride') as TriageAction | undefined;
  if (last?.payload.tier === undefined) return null;
  return {
    tier: last.payload.tier,
    reason: last.payload.reason ?? null,
    actor: last.actor,
    role: last.role,
    at: last.at,
    actionId: last.actionId,
  };
}

async function sources(
  deps: SearchDeps,
  id: SearchIndexId,
  query: object,
  sort: Record<string, 'asc' | 'desc'>[],
): Promise<Record<string, unknown>[]> {
  const response = await run(`read ${id}`, () =>
    deps.client.search({ index: alias(deps, id), query, sort, size: caseViewLimit }),
  );
  return response.hits.hits.map((hit) => hit._source as Record<string, unknown>);
}

/**
 * One case: its document, its items (every hash, matches, dedupe facts, enrichment) each with the
 * facts of its file (cluster, first sighting, sightings), and its action history.
 * TRIAGE_CASE_NOT_FOUND when no case was scored for the report.
 */
export async function readCase(deps: SearchDeps, reportId: string): Promise<CaseView> {
  const byReport = { term: { reportId } };
  const [found, items, actions] = await Promise.all([
    sources(deps, 'cases', { bool: { filter: [byReport, { term: { hasCase: true } }] } }, []),
    sources(deps, 'items', byReport, [{ itemId: 'asc' }]),
    sources(deps, 'actions', byReport, [{ at: 'asc' }, { actionId: 'asc' }]),
  ]);
  const document = found[0];
  if (document === undefined) {
    throw new TriageError('TRIAGE_CASE_NOT_FOUND', 'No case for this report id (yet)', {
      pointer: '/params/reportId',
    });
  }
  const sha256s = [...new Set(items.map((item) => item.sha256).filter((value) => typeof value === 'string'))];
  const media =
    sha256s.length === 0
      ? []
      : ((await sources(deps, 'media', { terms: { sha256: sha256s } }, [])) as unknown as MediaDocument[]);
  const bySha = new Map(media.map((file) => [file.sha256, file]));
  const { hasCase: _hasCase, ...caseFields } = document;
  return {
    case: caseFields,
    items: items.map((item) => {
      const file = typeof item.sha256 === 'string' ? bySha.get(item.sha256) : undefined;
      return {
        ...item,
        file:
          file === undefined
            ? null
            : {
                clusterId: file.clusterId,
                nearestSha256: file.nearestSha256,
                nearestDistance: file.nearestDistance,
                firstSeenAt: file.firstSeenAt,
                firstSeenReportId: file.firstSeenReportId,
                sightings: file.sightings,
              },
      };
    }),
    actions,
    tierOverride: overrideInForce(actions),
  };
}

/** A page of audit events, newest first. */
export async function searchAudit(
  deps: SearchDeps,
  input: AuditQueryInput,
): Promise<Page<Record<string, unknown>>> {
  const request = auditSearchRequest(input);
  const response = await run('search the audit', () =>
    deps.client.search({ index: alias(deps, 'audit'), ...request }),
  );
  return pageOf(response.hits.hits, request.size, auditSortName, totalOf(response.hits.total));
}

/**
 * The version of a report's case: what an action records as the version its analyst saw.
 * TRIAGE_CASE_NOT_FOUND when no case was scored for the report (yet).
 */
export async function caseVersion(deps: SearchDeps, reportId: string): Promise<number> {
  const response = await run('read the case', () =>
    deps.client.search({
      index: alias(deps, 'cases'),
      query: { bool: { filter: [{ term: { reportId } }, { term: { hasCase: true } }] } },
      _source: ['version'],
      size: 1,
    }),
  );
  const version = (response.hits.hits[0]?._source as { version?: unknown } | undefined)?.version;
  if (typeof version !== 'number') {
    throw new TriageError('TRIAGE_CASE_NOT_FOUND', 'No case for this report id (yet)', {
      pointer: '/params/reportId',
    });
  }
  return version;
}

/** An action as the indexer wrote it (any instance's, any time), by its id; null when not indexed. */
export async function indexedAction(deps: SearchDeps, actionId: string): Promise<TriageAction | null> {
  const response = await run('read the action', () =>
    deps.client.search({ index: alias(deps, 'actions'), query: { term: { actionId } }, size: 1 }),
  );
  return (response.hits.hits[0]?._source as TriageAction | undefined) ?? null;
}
