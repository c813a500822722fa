import {
  computeFigures,
  type FiguresWindow,
  type HosterFigures,
  hosterTrend,
  type NoticeCase,
  type OverdueItem,
  overdueItems,
  type Reappearance,
  rankHosters,
  removalDistribution,
} from '@triage/hoster-figures';
import { type HosterQuery, iso, periodView, windowOf } from './hoster-query.ts';
import type { HosterSnapshot } from './hoster-store.ts';

function overdueView(item: OverdueItem) {
  return {
    partnerId: item.partnerId,
    noticeId: item.noticeId,
    noticeEventId: item.noticeEventId,
    url: item.url,
    sha256: item.sha256,
    itemId: item.itemId,
    country: item.country,
    noticeAt: iso(item.noticeAt),
    renotices: item.renotices.map((renotice) => ({ eventId: renotice.eventId, at: iso(renotice.at) })),
    onlineForMs: item.onlineForMs,
  };
}

/** The ranking: per hoster, or per hoster within the country asked for. */
export function rankingView(snapshot: HosterSnapshot, query: HosterQuery, now: number) {
  const window = windowOf(query, now);
  const figures = computeFigures({
    cases: snapshot.cases.values(),
    reappearances: snapshot.reappearances.values(),
    window,
  });
  const rows =
    query.country === undefined
      ? figures.hosters
      : figures.hosterCountries.filter((row) => row.country === query.country);
  return {
    period: periodView(window),
    country: query.country ?? null,
    hosters: rankHosters(rows, {
      ...(query.sort === undefined ? {} : { sort: query.sort }),
      ...(query.order === undefined ? {} : { order: query.order }),
      ...(query.minNotices === undefined ? {} : { minNotices: query.minNotices }),
    }),
  };
}

interface HosterSlice {
  window: FiguresWindow;
  cases: NoticeCase[];
  reappearances: Reappearance[];
}

/** The hoster's own cases and reappearances; null when it never had a case as of asOf. */
function sliceOf(snapshot: HosterSnapshot, asn: number, window: FiguresWindow): HosterSlice | null {
  const cases = [...snapshot.cases.values()].filter(
    (item) => (item.asn ?? 0) === asn && item.noticeAt !== null && item.noticeAt <= window.asOf,
  );
  if (cases.length === 0) return null;
  const reappearances = [...snapshot.reappearances.values()].filter((item) => item.asn === asn);
  return { window, cases, reappearances };
}

/** A hoster's page; null when no case was ever attributed to it. */
export function hosterPageView(snapshot: HosterSnapshot, asn: number, query: HosterQuery, now: number) {
  const window = windowOf(query, now);
  const slice = sliceOf(snapshot, asn, window);
  if (slice === null) return null;
  // The country shares need every hoster's online cases: the one figure computed over all of them.
  const all = computeFigures({
    cases: snapshot.cases.values(),
    reappearances: snapshot.reappearances.values(),
    window,
  });
  const hoster = all.hosters.find((row) => row.asn === asn) as HosterFigures;
  return {
    period: periodView(window),
    hoster,
    countries: all.hosterCountries.filter((row) => row.asn === asn),
    trend: hosterTrend(asn, slice.cases, slice.reappearances, window).map((month) => ({
      ...month,
      from: iso(month.from),
      to: iso(month.to),
    })),
    distribution: removalDistribution(slice.cases, window),
    overdue: overdueItems(slice.cases, window.asOf).map(overdueView),
  };
}

/** The evidence export: the overdue cases with ids, times and hashes only. */
export function evidenceView(
  snapshot: HosterSnapshot,
  asn: number,
  query: Pick<HosterQuery, 'asOf'>,
  now: number,
) {
  const window = windowOf({ ...(query.asOf === undefined ? {} : { asOf: query.asOf }) }, now);
  const slice = sliceOf(snapshot, asn, window);
  if (slice === null) return null;
  const hoster = computeFigures({ cases: slice.cases, reappearances: [], window })
    .hosters[0] as HosterFigures;
  return {
    asn,
    asOrganisation: hoster.asOrganisation,
    asOf: iso(window.asOf),
    items: overdueItems(slice.cases, window.asOf).map(overdueView),
  };
}
