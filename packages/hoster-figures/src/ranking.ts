import type { HosterFigures } from './types.ts';

/** Figures a ranking can be sorted by. */
export const rankingSortKeys = [
  'overdueNow',
  'onlineNow',
  'notices',
  'renotices',
  'removed',
  'stillOnline',
  'medianTimeToRemovalMs',
  'p90TimeToRemovalMs',
  'removedWithin24hShare',
  'removedWithin12hShare',
  'countryOnlineShare',
  'recidivism',
] as const satisfies readonly (keyof HosterFigures)[];

export type RankingSortKey = (typeof rankingSortKeys)[number];

export interface RankingOptions {
  /** Default `overdueNow`: the hosters with the longest re-notice queue first. */
  sort?: RankingSortKey;
  /** Default `desc`. */
  order?: 'asc' | 'desc';
  /** Rows with fewer notices in the period are left out; default 0. */
  minNotices?: number;
}

/**
 * Rows filtered and sorted: by the figure (nulls last in either order), then by notices
 * (descending), then by ASN and country, so equal figures always come in one order.
 */
export function rankHosters(rows: readonly HosterFigures[], options: RankingOptions = {}): HosterFigures[] {
  const key = options.sort ?? 'overdueNow';
  const direction = options.order === 'asc' ? 1 : -1;
  const minNotices = options.minNotices ?? 0;
  return rows
    .filter((row) => row.notices >= minNotices)
    .sort((a, b) => {
      const x = a[key];
      const y = b[key];
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return (x - y) * direction;
      }
      return b.notices - a.notices || a.asn - b.asn || (a.country ?? '').localeCompare(b.country ?? '');
    });
}
