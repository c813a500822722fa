// Exposure counts from the audit index: how many previews and allowed reveals a user was shown.
// Pure request builders and answer shaping; the Elasticsearch calls are in exposure-store.ts.

/** The audited actions that put content in front of a user: a blurred preview, and a reveal. */
const exposureFilters = {
  previews: { term: { action: 'view_media' } },
  reveals: { term: { action: 'reveal' } },
} as const;

/** Most analysts one exposure answer lists (the busiest first); beyond it the answer says `truncated`. */
export const maxExposureAnalysts = 1_000;

export interface ExposureCounts {
  previews: number;
  reveals: number;
}

export interface AnalystExposure extends ExposureCounts {
  sub: string;
}

export interface ExposureWindow {
  /** Epoch milliseconds, inclusive. */
  from: number;
  /** Epoch milliseconds, exclusive; absent: up to now. */
  to?: number;
}

/** Allowed previews and reveals in the window: only what was served (a denied reveal showed nothing). */
function exposureQuery(window: ExposureWindow, actor?: string) {
  return {
    bool: {
      filter: [
        ...(actor === undefined ? [] : [{ term: { actor } }]),
        { terms: { action: Object.values(exposureFilters).map((filter) => filter.term.action) } },
        { term: { outcome: 'allowed' } },
        {
          range: { at: { gte: window.from, ...(window.to === undefined ? {} : { lt: window.to }) } },
        },
      ],
    },
  };
}

/** One count per kind of exposure, as filter aggregations. */
const countAggregations = () =>
  Object.fromEntries(Object.entries(exposureFilters).map(([name, filter]) => [name, { filter }]));

/** The search (index = the audit alias) of one user's own exposure since `from`. */
export function selfExposureRequest(sub: string, window: ExposureWindow) {
  return { size: 0, track_total_hits: false, query: exposureQuery(window, sub), aggs: countAggregations() };
}

/** The search of every user's exposure in the window: a terms aggregation on the actor, never a target. */
export function analystsExposureRequest(window: ExposureWindow) {
  return {
    size: 0,
    track_total_hits: false,
    query: exposureQuery(window),
    aggs: {
      analysts: {
        terms: {
          field: 'actor',
          size: maxExposureAnalysts,
          order: [{ _count: 'desc' }, { _key: 'asc' }],
        },
        aggs: countAggregations(),
      },
    },
  };
}

/** An aggregation answer as Elasticsearch sends it, narrowed to what is read here. */
interface CountBuckets {
  previews?: { doc_count?: number };
  reveals?: { doc_count?: number };
}

export interface ExposureAggregations {
  analysts?: {
    buckets?: (CountBuckets & { key: string | number })[];
    sum_other_doc_count?: number;
  };
}

/** The counts of one filter-aggregation answer (0 where Elasticsearch sent none). */
export function exposureCountsOf(aggregations: CountBuckets | undefined): ExposureCounts {
  return {
    previews: aggregations?.previews?.doc_count ?? 0,
    reveals: aggregations?.reveals?.doc_count ?? 0,
  };
}

/** Per user: subject and counts only, busiest first; `truncated` when more users than listed. */
export function analystsExposureOf(aggregations: ExposureAggregations | undefined): {
  analysts: AnalystExposure[];
  truncated: boolean;
} {
  const buckets = aggregations?.analysts?.buckets ?? [];
  return {
    analysts: buckets.map((bucket) => ({ sub: String(bucket.key), ...exposureCountsOf(bucket) })),
    truncated: (aggregations?.analysts?.sum_other_doc_count ?? 0) > 0,
  };
}

/** Default window of the supervisors' view: the last day. */
export const defaultExposureWindowMs = 24 * 60 * 60 * 1000;
/** Where a session starts when its token has no `iat`: a shift ago (the development login's token lifetime). */
export const sessionFallbackMs = 8 * 60 * 60 * 1000;

/**
 * The supervisors' window from the query: both bounds as given, a missing `to` is now, a missing
 * `from` a day before `to`. Null when `from` is not before `to`.
 */
export function exposureWindow(
  query: { from?: number; to?: number },
  now: number,
): { from: number; to: number } | null {
  const to = query.to ?? now;
  // Never before the epoch: the answer's `from` is a non-negative epoch millisecond.
  const from = query.from ?? Math.max(0, to - defaultExposureWindowMs);
  return from < to ? { from, to } : null;
}

/** Where the caller's session began (epoch ms): the token's `iat`, else a shift before now. */
export function sessionStart(issuedAtSeconds: number | null, now: number): number {
  return issuedAtSeconds === null ? now - sessionFallbackMs : issuedAtSeconds * 1000;
}
