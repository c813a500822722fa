import { decodeCursor } from './cursor.ts';

export interface AuditQueryInput {
  actor?: string[];
  action?: string[];
  outcome?: string[];
  targetType?: string;
  targetId?: string;
  /** Epoch milliseconds, inclusive. */
  from?: number;
  /** Epoch milliseconds, exclusive. */
  to?: number;
  limit?: number;
  cursor?: string;
}

export const auditQueryLimits = { defaultLimit: 100, maxLimit: 500 } as const;

/** Newest first; the event id (`<chainId>/<sequence>`) makes each position unique. */
const auditSort = [{ at: 'desc' }, { eventId: 'asc' }] as const;
export const auditSortName = 'at';

/** The body of one audit search (index = the audit alias): a pure function of the request. */
export function auditSearchRequest(input: AuditQueryInput) {
  const filter: object[] = [];
  const terms = { actor: input.actor, action: input.action, outcome: input.outcome };
  for (const [field, values] of Object.entries(terms)) {
    if (values !== undefined && values.length > 0) filter.push({ terms: { [field]: values } });
  }
  if (input.targetType !== undefined) filter.push({ term: { targetType: input.targetType } });
  if (input.targetId !== undefined) filter.push({ term: { targetId: input.targetId } });
  if (input.from !== undefined || input.to !== undefined) {
    filter.push({
      range: {
        at: {
          ...(input.from === undefined ? {} : { gte: input.from }),
          ...(input.to === undefined ? {} : { lt: input.to }),
        },
      },
    });
  }
  const limit = Math.min(input.limit ?? auditQueryLimits.defaultLimit, auditQueryLimits.maxLimit);
  return {
    size: limit,
    query: { bool: { filter } },
    sort: auditSort.map((entry) => ({ ...entry })),
    ...(input.cursor === undefined
      ? {}
      : { search_after: decodeCursor(input.cursor, auditSortName, auditSort.length) }),
    track_total_hits: true,
  };
}
