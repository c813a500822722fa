import { caseState, computeFigures, norm12hMs, norm24hMs, share } from './figures.ts';
import type { FiguresWindow, HosterFigures, NoticeCase, Reappearance } from './types.ts';

const hourMs = 3_600_000;

/** Upper edges (exclusive) of the time-to-removal histogram's bins, in hours; the last bin is open. */
const histogramEdgesHours = [1, 2, 4, 6, 12, 24, 48, 72, 168] as const;

/** Where the survival curve is read, in hours: every bin edge, with 12 h and 24 h among them. */
const survivalHours = [0, ...histogramEdgesHours] as const;

export interface HistogramBin {
  /** Lower edge, inclusive (ms). */
  fromMs: number;
  /** Upper edge, exclusive (ms); null for the open last bin. */
  toMs: number | null;
  /** Removed cases whose time to removal is in the bin. */
  removed: number;
}

export interface SurvivalPoint {
  atMs: number;
  /** Share of the period's notices still not removed that long after their notice (moved and online count as not removed). */
  notRemovedShare: number | null;
}

export interface RemovalDistribution {
  notices: number;
  /** Removed cases by time to removal. */
  bins: HistogramBin[];
  /** Cases without a removal (online or moved): right-censored, in every denominator. */
  notRemoved: number;
  survival: SurvivalPoint[];
  /** The survival curve at the legal line (12 h) and the norm (24 h). */
  notRemovedAt12hShare: number | null;
  notRemovedAt24hShare: number | null;
}

/** The time-to-removal distribution of the period's cases: histogram bins and a survival curve. */
export function removalDistribution(cases: Iterable<NoticeCase>, window: FiguresWindow): RemovalDistribution {
  const times: number[] = [];
  let notices = 0;
  for (const notice of cases) {
    const state = caseState(notice, window.asOf);
    const noticeAt = notice.noticeAt;
    if (!state.counted || noticeAt === null || noticeAt < window.from || noticeAt >= window.to) continue;
    notices++;
    if (state.removed) times.push(state.timeToRemovalMs);
  }
  const edges = histogramEdgesHours.map((hours) => hours * hourMs);
  const bins: HistogramBin[] = [...edges, null].map((toMs, index) => ({
    fromMs: index === 0 ? 0 : (edges[index - 1] as number),
    toMs,
    removed: 0,
  }));
  for (const time of times) {
    const index = edges.findIndex((edge) => time < edge);
    (bins[index === -1 ? bins.length - 1 : index] as HistogramBin).removed++;
  }
  const notRemovedAfter = (atMs: number) =>
    share(notices - times.filter((time) => time <= atMs).length, notices);
  return {
    notices,
    bins,
    notRemoved: notices - times.length,
    survival: survivalHours.map((hours) => ({
      atMs: hours * hourMs,
      notRemovedShare: notRemovedAfter(hours * hourMs),
    })),
    notRemovedAt12hShare: notRemovedAfter(norm12hMs),
    notRemovedAt24hShare: notRemovedAfter(norm24hMs),
  };
}

/** One month's figures of a hoster: its cases first noticed in the month (within the period). */
export type TrendMonth = Omit<
  HosterFigures,
  'onlineNow' | 'countryOnlineShare' | 'overdueNow' | 'countries'
> & {
  /** `YYYY-MM` (UTC). */
  month: string;
  from: number;
  to: number;
};

/** The first millisecond of a UTC month; `Date.UTC` would read a year 0-99 as 1900-1999. */
function monthStartUtc(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 1);
  return date.getTime();
}

/** The UTC months that meet `[from, min(to, asOf])`, each clipped to the period. */
export function periodMonths(window: FiguresWindow): { month: string; from: number; to: number }[] {
  const end = Math.min(window.to, window.asOf + 1);
  const months: { month: string; from: number; to: number }[] = [];
  if (end <= window.from) return months;
  const start = new Date(window.from);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  for (;;) {
    const monthStart = monthStartUtc(year, month);
    if (monthStart >= end) break;
    const next = monthStartUtc(year, month + 1);
    months.push({
      // Four-digit years, as the documented `^\d{4}-\d{2}$` says (found by schemathesis: "711-05").
      month: `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}`,
      from: Math.max(monthStart, window.from),
      to: Math.min(next, window.to),
    });
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return months;
}

/**
 * A hoster's figures per month of the period (same `asOf`): the trend. Months without a notice
 * are listed with zeros, so a chart has every month. One pass puts the cases in their months;
 * each month is then computed over its own cases, and recidivism against the hoster's removals of
 * any month (a removal in January makes a reappearance in March recidivism). The organisation and
 * country are the hoster's, as in its row.
 */
export function hosterTrend(
  asn: number,
  cases: readonly NoticeCase[],
  reappearances: readonly Reappearance[],
  window: FiguresWindow,
): TrendMonth[] {
  const months = periodMonths(window);
  const own = cases.filter((item) => (item.asn ?? 0) === asn);
  const hoster = computeFigures({ cases: own, reappearances: [], window }).hosters[0];
  const monthOf = (at: number) => months.findIndex((month) => at >= month.from && at < month.to);
  const buckets = months.map((): NoticeCase[] => []);
  const firstRemoval = new Map<string, number>();
  for (const item of own) {
    const state = caseState(item, window.asOf);
    if (!state.counted) continue;
    const noticeAt = item.noticeAt as number;
    if (state.removed && item.sha256 !== null) {
      const removedAt = noticeAt + state.timeToRemovalMs;
      if (removedAt < (firstRemoval.get(item.sha256) ?? Number.POSITIVE_INFINITY)) {
        firstRemoval.set(item.sha256, removedAt);
      }
    }
    const index = monthOf(noticeAt);
    if (index !== -1) buckets[index]?.push(item);
  }
  const recidivism = months.map(() => 0);
  for (const event of reappearances) {
    if (event.asn !== asn || event.sha256 === null || event.at > window.asOf) continue;
    const index = monthOf(event.at);
    const removedAt = firstRemoval.get(event.sha256);
    if (index !== -1 && removedAt !== undefined && removedAt < event.at) recidivism[index]! += 1;
  }
  return months.map(({ month, from, to }, index) => {
    const row =
      computeFigures({
        cases: buckets[index] ?? [],
        reappearances: [],
        window: { from, to, asOf: window.asOf },
      }).hosters[0] ?? emptyFigures(asn);
    const { onlineNow, countryOnlineShare, overdueNow, countries, ...figures } = row;
    return {
      month,
      from,
      to,
      ...figures,
      asOrganisation: hoster?.asOrganisation ?? null,
      country: hoster?.country ?? null,
      recidivism: recidivism[index] ?? 0,
    };
  });
}

/** A hoster with no case in the period. */
export function emptyFigures(asn: number): HosterFigures {
  return {
    asn,
    asOrganisation: null,
    country: null,
    countries: [],
    notices: 0,
    renotices: 0,
    removed: 0,
    moved: 0,
    stillOnline: 0,
    medianTimeToRemovalMs: null,
    p90TimeToRemovalMs: null,
    removedWithin24hShare: null,
    removedWithin12hShare: null,
    onlineNow: 0,
    countryOnlineShare: null,
    recidivism: 0,
    overdueNow: 0,
  };
}
