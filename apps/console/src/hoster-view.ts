// The hoster pages' pure view logic: figures as text, bar lengths, chart points, the period in the
// URL as the API's query, and the re-notice list a hotline takes to its own system.
import type {
  HistogramBin,
  HosterFigures,
  OverdueItem,
  RemovalDistribution,
  TrendMonth,
} from './hoster-types.ts';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** `45 min`, `30 h`, `3 h 20 min`, `4 d 23 h`: the largest two units that matter; null is `—`. */
export function durationText(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < hourMs) return `${Math.round(ms / minuteMs)} min`;
  if (ms < 3 * dayMs) {
    const hours = Math.floor(ms / hourMs);
    const minutes = Math.round((ms - hours * hourMs) / minuteMs);
    return minutes === 0 ? `${hours} h` : minutes === 60 ? `${hours + 1} h` : `${hours} h ${minutes} min`;
  }
  const days = Math.floor(ms / dayMs);
  const hours = Math.round((ms - days * dayMs) / hourMs);
  return hours === 0 ? `${days} d` : hours === 24 ? `${days + 1} d` : `${days} d ${hours} h`;
}

/** `33.3 %`, `100 %`; null (no denominator) is `—`. */
export function shareText(share: number | null): string {
  if (share === null) return '—';
  const percent = Math.round(share * 1000) / 10;
  return `${Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(1)} %`;
}

export type FigureKey =
  | 'overdueNow'
  | 'onlineNow'
  | 'notices'
  | 'renotices'
  | 'removed'
  | 'stillOnline'
  | 'medianTimeToRemovalMs'
  | 'p90TimeToRemovalMs'
  | 'removedWithin24hShare'
  | 'removedWithin12hShare'
  | 'countryOnlineShare'
  | 'recidivism';

type FigureKind = 'count' | 'share' | 'duration';

interface FigureInfo {
  label: string;
  kind: FigureKind;
  /** What a null means for this figure, in words. */
  none: string;
}

/** The figures a ranking can sort by and draw (the API's sort keys), in the order the select lists them. */
export const figureInfo: Readonly<Record<FigureKey, FigureInfo>> = {
  overdueNow: { label: 'Overdue now (online, noticed over 24 h ago)', kind: 'count', none: '—' },
  onlineNow: { label: 'Online now', kind: 'count', none: '—' },
  removedWithin24hShare: { label: 'Removed within 24 h', kind: 'share', none: 'no notices' },
  removedWithin12hShare: { label: 'Removed within 12 h', kind: 'share', none: 'no notices' },
  medianTimeToRemovalMs: { label: 'Median time to removal', kind: 'duration', none: 'not reached' },
  p90TimeToRemovalMs: { label: 'P90 time to removal', kind: 'duration', none: 'not reached' },
  countryOnlineShare: { label: 'Share of the country online now', kind: 'share', none: '—' },
  notices: { label: 'Notices', kind: 'count', none: '—' },
  renotices: { label: 'Re-notices', kind: 'count', none: '—' },
  removed: { label: 'Removed', kind: 'count', none: '—' },
  stillOnline: { label: 'Still online (of the period’s notices)', kind: 'count', none: '—' },
  recidivism: { label: 'Recidivism (same hash back after removal)', kind: 'count', none: '—' },
};

export const figureKeys = Object.keys(figureInfo) as FigureKey[];

const isFigureKey = (value: string | null): value is FigureKey =>
  value !== null && Object.hasOwn(figureInfo, value);

/** A figure's value as the page shows it. */
export function figureText(key: FigureKey, value: number | null): string {
  const info = figureInfo[key];
  if (value === null) return info.none;
  if (info.kind === 'share') return shareText(value);
  if (info.kind === 'duration') return durationText(value);
  return String(value);
}

/** A median or P90 as text: `not reached` when too few were removed, `—` without notices. */
export const removalTimeText = (ms: number | null, notices: number) =>
  ms !== null ? durationText(ms) : notices === 0 ? '—' : 'not reached';

/**
 * Bar lengths in percent for one figure over the rows: a share on its own 0–100 % scale (so a bar
 * reads against the norm whatever the other rows are), a count or a duration against the largest
 * row. Null (not reached, no denominator) has no bar: its text says why.
 */
export function rankingBars(rows: readonly HosterFigures[], key: FigureKey): (number | null)[] {
  const values = rows.map((row) => row[key]);
  if (figureInfo[key].kind === 'share')
    return values.map((value) => (value === null ? null : Math.round(value * 1000) / 10));
  const largest = Math.max(0, ...values.filter((value): value is number => value !== null));
  return values.map((value) =>
    value === null ? null : largest === 0 ? 0 : Math.round((value / largest) * 1000) / 10,
  );
}

/** `AS60781 LeaseWeb Netherlands B.V.`, or the ASN alone when no database names it. */
export const hosterName = (row: Pick<HosterFigures, 'asn' | 'asOrganisation'>) =>
  row.asOrganisation === null ? `AS${row.asn}` : `AS${row.asn} ${row.asOrganisation}`;

export interface SurvivalRow {
  hours: number;
  /** Percent of the period's notices not removed that long after their notice. */
  percent: number;
}

/** The survival curve's points in hours and percent; none without notices. */
export function survivalRows(distribution: RemovalDistribution): SurvivalRow[] {
  return distribution.survival.flatMap((point) =>
    point.notRemovedShare === null
      ? []
      : [{ hours: point.atMs / hourMs, percent: Math.round(point.notRemovedShare * 1000) / 10 }],
  );
}

/** Whole-number ticks from 0 to at least `max`, about six of them (counts have no half notices). */
export function countTicks(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 6));
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) ticks.push(tick);
  return ticks;
}

/** `0–1 h`, `24–48 h`, `168 h or more`: a histogram bin's edges in words. */
export function binLabel(bin: HistogramBin): string {
  const from = bin.fromMs / hourMs;
  return bin.toMs === null ? `${from} h or more` : `${from}–${bin.toMs / hourMs} h`;
}

export type TrendPart = 'removed within 24 h' | 'removed later' | 'moved' | 'still online';

export const trendParts: readonly TrendPart[] = [
  'removed within 24 h',
  'removed later',
  'moved',
  'still online',
];

/**
 * Each month's notices split into what became of them (stacked bars): removed within 24 h,
 * removed later, moved, still online. The parts add up to the month's notices.
 */
export function trendStack(
  trend: readonly TrendMonth[],
): { month: string; part: TrendPart; count: number }[] {
  return trend.flatMap((month) => {
    const within = Math.round((month.removedWithin24hShare ?? 0) * month.notices);
    const counts: Record<TrendPart, number> = {
      'removed within 24 h': within,
      'removed later': month.removed - within,
      moved: month.moved,
      'still online': month.stillOnline,
    };
    return trendParts.map((part) => ({ month: month.month, part, count: counts[part] }));
  });
}

/** The first day (UTC, `YYYY-MM-DD`) of the month `months` before the month of `now`. */
function monthsBack(now: number, months: number): string {
  const date = new Date(now);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, 1)).toISOString().slice(0, 10);
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const minutePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** The period the page's URL holds, with the console's default (the last 12 months) filled in. */
export interface PeriodFilter {
  /** First day, inclusive (UTC `YYYY-MM-DD`). */
  from: string;
  /** Last day, inclusive; '' is up to now. */
  to: string;
  /** `YYYY-MM-DDTHH:MM` (UTC); '' is now. */
  asOf: string;
}

/**
 * The period from the URL. Without a `from` the page asks for the last 12 months (the API's own
 * default is every case since 1970, whose trend would be hundreds of empty months).
 */
export function periodFilter(params: URLSearchParams, now: number): PeriodFilter {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const asOf = params.get('asOf') ?? '';
  return {
    from: dayPattern.test(from) ? from : monthsBack(now, 11),
    to: dayPattern.test(to) ? to : '',
    asOf: minutePattern.test(asOf) ? asOf : '',
  };
}

/** The period as the API's query: `to` is the day after the last day, `asOf` to the minute. */
export function periodQuery(period: PeriodFilter): URLSearchParams {
  const query = new URLSearchParams({ from: `${period.from}T00:00:00Z` });
  if (period.to !== '') {
    const day = new Date(`${period.to}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + 1);
    query.set('to', day.toISOString());
  }
  if (period.asOf !== '') query.set('asOf', `${period.asOf}:00Z`);
  return query;
}

/** The ranking's filters from its URL. */
export interface RankingFilter extends PeriodFilter {
  country: string;
  minNotices: number;
  sort: FigureKey;
  order: 'asc' | 'desc';
}

export function rankingFilter(search: string, now: number): RankingFilter {
  const params = new URLSearchParams(search);
  const country = (params.get('country') ?? '').toUpperCase();
  const minNotices = Number(params.get('minNotices') ?? '0');
  const sort = params.get('sort');
  return {
    ...periodFilter(params, now),
    country: /^[A-Z]{2}$/.test(country) ? country : '',
    minNotices: Number.isInteger(minNotices) && minNotices > 0 ? minNotices : 0,
    sort: isFigureKey(sort) ? sort : 'overdueNow',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
}

/** `GET /v1/hosters?...` for the filters. */
export function rankingQuery(filter: RankingFilter): string {
  const query = periodQuery(filter);
  if (filter.country !== '') query.set('country', filter.country);
  if (filter.minNotices > 0) query.set('minNotices', String(filter.minNotices));
  query.set('sort', filter.sort);
  query.set('order', filter.order);
  return query.toString();
}

/** The page URL's query for a period (what a link to a hoster carries along). */
export function periodSearch(period: PeriodFilter): string {
  const search = new URLSearchParams({ from: period.from });
  if (period.to !== '') search.set('to', period.to);
  if (period.asOf !== '') search.set('asOf', period.asOf);
  return search.toString();
}

/** A hash shortened for a table cell: the first 12 hex digits. */
export const shortHash = (sha256: string) => `${sha256.slice(0, 12)}…`;

const tsvCell = (value: string | null) => (value ?? '').replaceAll(/[\t\r\n]/g, ' ');

/**
 * The re-notice list for a hotline: one line per overdue case, tab-separated with a header row,
 * for the hotline's own notice system (the console sends nothing to a hoster). Each re-notice the
 * hotline then sends comes back as a `renotice_sent` event through intake.
 */
export function renoticeList(items: readonly OverdueItem[]): string {
  const header = [
    'noticeId',
    'partnerId',
    'url',
    'sha256',
    'firstNoticeAt',
    'renotices',
    'lastRenoticeAt',
    'onlineForHours',
  ];
  const rows = items.map((item) =>
    [
      item.noticeId,
      item.partnerId,
      item.url,
      item.sha256,
      item.noticeAt,
      String(item.renotices.length),
      item.renotices.at(-1)?.at ?? null,
      String(Math.floor(item.onlineForMs / hourMs)),
    ].map(tsvCell),
  );
  return `${[header, ...rows].map((row) => row.join('\t')).join('\n')}\n`;
}
