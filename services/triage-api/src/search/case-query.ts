import { decodeCursor, type SortValue } from './cursor.ts';

/** The queue's filters as the route's querystring schema delivers them (lists are already arrays). */
export interface CaseFilters {
  tier?: string[];
  status?: string[];
  assignee?: string[];
  incidentType?: string[];
  inJurisdiction?: boolean;
  country?: string[];
  asOrganization?: string[];
  knownList?: string[];
  category?: number[];
  novelty?: string[];
  partner?: string[];
  receivedFrom?: number;
  receivedTo?: number;
  incidentFrom?: number;
  incidentTo?: number;
  /** Full text over the report text. */
  q?: string;
}

type CaseSort = 'score' | 'received';

export interface CaseQueryInput extends CaseFilters {
  sort?: CaseSort;
  limit?: number;
  cursor?: string;
}

export const caseQueryLimits = { defaultLimit: 50, maxLimit: 200 } as const;

/** Keyword filters: query parameter -> field of the cases document (packages/search's case document). */
const termFields = {
  // The effective tier (a supervisor's override, else the scored tier): the queue follows overrides.
  tier: 'queueTier',
  status: 'triage.status',
  assignee: 'triage.assignee',
  incidentType: 'report.incidentType',
  country: 'enrichment.countryCodes',
  asOrganization: 'enrichment.asOrganizations',
  knownList: 'items.matchedLists',
  category: 'items.categories',
  novelty: 'items.novelty',
  partner: 'report.partnerId',
} as const satisfies Partial<Record<keyof CaseFilters, string>>;

/** The facets the queue counts, as response key -> field. */
export const caseFacetFields = {
  tier: 'queueTier',
  status: 'triage.status',
  incidentType: 'report.incidentType',
  country: 'enrichment.countryCodes',
  partner: 'report.partnerId',
  novelty: 'items.novelty',
} as const;

export type CaseFacet = keyof typeof caseFacetFields;

/** Most buckets one facet returns (tiers and statuses have a handful; countries and partners more). */
const facetSize = 50;

/**
 * The sort of each order, always ending on the report id so every hit has a unique position and
 * `search_after` neither skips nor repeats a case. `score` files cases by effective tier first
 * (P1 before P2 before P3: the codes sort as text), so an overridden case moves with its new tier;
 * then by score. Received time breaks score ties: the older report of two equally scored ones
 * waited longer.
 */
const sorts: Record<CaseSort, Record<string, 'asc' | 'desc'>[]> = {
  score: [{ queueTier: 'asc' }, { score: 'desc' }, { 'report.receivedAt': 'asc' }, { reportId: 'asc' }],
  received: [{ 'report.receivedAt': 'desc' }, { reportId: 'asc' }],
};

/** The filter clauses of the queue: only documents with a case, then every filter given. */
export function caseFilterClauses(filters: CaseFilters): object[] {
  const clauses: object[] = [{ term: { hasCase: true } }];
  for (const [name, field] of Object.entries(termFields)) {
    const values = filters[name as keyof typeof termFields];
    if (values !== undefined && values.length > 0) clauses.push({ terms: { [field]: values } });
  }
  if (filters.inJurisdiction !== undefined) {
    clauses.push({ term: { 'enrichment.inJurisdiction': filters.inJurisdiction } });
  }
  const received = range(filters.receivedFrom, filters.receivedTo);
  if (received !== null) clauses.push({ range: { 'report.receivedAt': received } });
  const incident = range(filters.incidentFrom, filters.incidentTo);
  if (incident !== null) clauses.push({ range: { 'report.incidentDateTime': incident } });
  return clauses;
}

/** `from` inclusive, `to` exclusive, both epoch milliseconds. */
function range(from: number | undefined, to: number | undefined): Record<string, number> | null {
  if (from === undefined && to === undefined) return null;
  return { ...(from === undefined ? {} : { gte: from }), ...(to === undefined ? {} : { lt: to }) };
}

/** The body of one queue search (index = the cases alias): a pure function of the request. */
export function caseSearchRequest(input: CaseQueryInput) {
  const sort = input.sort ?? 'score';
  const limit = Math.min(input.limit ?? caseQueryLimits.defaultLimit, caseQueryLimits.maxLimit);
  const text = input.q?.trim();
  const must =
    text === undefined || text === ''
      ? []
      : [{ match: { 'reportText.text': { query: text, operator: 'and' } } }];
  const searchAfter: SortValue[] | undefined =
    input.cursor === undefined ? undefined : decodeCursor(input.cursor, sort, sorts[sort].length);
  return {
    size: limit,
    query: { bool: { filter: caseFilterClauses(input), must } },
    sort: sorts[sort],
    ...(searchAfter === undefined ? {} : { search_after: searchAfter }),
    // The queue never carries the report text (the case view does); the reasons stay, as the
    // console's queue rows show each case's top reasons (a handful of short entries per case).
    _source: { excludes: ['reportText'] },
    track_total_hits: true,
    aggs: Object.fromEntries(
      Object.entries(caseFacetFields).map(([name, field]) => [name, { terms: { field, size: facetSize } }]),
    ),
  };
}
