import { TriageError } from '@triage/errors';
import type { FiguresWindow, RankingSortKey } from '@triage/hoster-figures';

/** The querystring of the hoster routes, as the schema lets it through. */
export interface HosterQuery {
  from?: string;
  to?: string;
  asOf?: string;
  country?: string;
  minNotices?: number;
  sort?: RankingSortKey;
  order?: 'asc' | 'desc';
  format?: 'json' | 'csv';
}

function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw new TriageError('TRIAGE_REQUEST_INVALID', `/querystring/${name} is not a date-time`);
  return at;
}

/**
 * The period and the time the figures are as of. Defaults: `asOf` now, `to` just after `asOf`
 * (nothing later exists yet), `from` the epoch (every case): the whole history unless narrowed.
 */
export function windowOf(query: HosterQuery, now: number): FiguresWindow {
  const asOf = instant(query.asOf, 'asOf') ?? now;
  const to = instant(query.to, 'to') ?? asOf + 1;
  const from = instant(query.from, 'from') ?? 0;
  if (from >= to) throw new TriageError('TRIAGE_REQUEST_INVALID', '/querystring/from must be before to');
  return { from, to, asOf };
}

export const iso = (at: number) => new Date(at).toISOString();

/** The window as the answers state it. */
export function periodView(window: FiguresWindow) {
  return { from: iso(window.from), to: iso(window.to), asOf: iso(window.asOf) };
}
