import { describe, expect, it } from 'vitest';
import { applyCaseChange, blankCase } from './case-changes.ts';
import { computeFigures, nearestRank, overdueItems } from './figures.ts';
import { emptyFigures, hosterTrend, periodMonths, removalDistribution } from './hoster-page.ts';
import { rankHosters } from './ranking.ts';
import type { FiguresWindow, NoticeCase, Reappearance } from './types.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const t0 = Date.UTC(2026, 2, 1);
const window: FiguresWindow = { from: t0, to: t0 + 30 * day, asOf: t0 + 10 * day };

function notice(
  id: string,
  facts: Partial<NoticeCase> & { asn: number; country: string | null; noticeAt: number },
): NoticeCase {
  return applyCaseChange(blankCase('hotline-a', id), {
    noticeEventId: `e-${id}`,
    asOrganisation: `AS${facts.asn} org`,
    url: `https://files.example.invalid/${id}`,
    ...facts,
  });
}

/**
 * The table (hours after t0 unless said): A is AS100 in NL, B AS200 in NL, C AS300 in DE and FR,
 * D AS400 in GB with nothing in the period.
 */
const cases: NoticeCase[] = [
  notice('a1', { asn: 100, country: 'NL', noticeAt: t0, removedAt: t0 + 2 * hour, sha256: 'aa' }),
  notice('a2', { asn: 100, country: 'NL', noticeAt: t0, removedAt: t0 + 20 * hour }),
  notice('a3', { asn: 100, country: 'NL', noticeAt: t0, movedAt: t0 + hour, sha256: 'bb' }),
  // Online; one re-notice before asOf, one after (does not exist yet).
  notice('a4', {
    asn: 100,
    country: 'NL',
    noticeAt: t0,
    renotices: { r1: t0 + 30 * hour, r2: window.asOf + hour },
  }),
  // Before the period, online: onlineNow and overdue, not a notice of the period.
  notice('a5', { asn: 100, country: 'NL', noticeAt: t0 - day }),
  // Online an hour: not overdue yet.
  notice('b1', { asn: 200, country: 'NL', noticeAt: window.asOf - hour }),
  // Removed after asOf: still online as of asOf.
  notice('b2', { asn: 200, country: 'NL', noticeAt: t0, removedAt: window.asOf + hour }),
  notice('c1', { asn: 300, country: 'DE', noticeAt: t0 + day }),
  notice('c2', { asn: 300, country: 'FR', noticeAt: t0 + day }),
  notice('d1', { asn: 400, country: 'GB', noticeAt: t0 - 2 * day, removedAt: t0 + hour }),
  // Noticed after asOf: does not exist yet.
  notice('x1', { asn: 100, country: 'NL', noticeAt: window.asOf + 1 }),
  // Re-notice folded but no notice yet: not a case.
  applyCaseChange(undefined, { partnerId: 'hotline-a', noticeId: 'y1', renotices: { r9: t0 } }),
];

const reappeared = (id: string, facts: Pick<Reappearance, 'at' | 'asn' | 'sha256'>): Reappearance => ({
  partnerId: 'hotline-a',
  eventId: id,
  url: `https://files.example.invalid/${id}`,
  asOrganisation: null,
  country: 'NL',
  ...facts,
});

const reappearances: Reappearance[] = [
  reappeared('r-after-removal', { at: t0 + day, asn: 100, sha256: 'aa' }),
  reappeared('r-before-removal', { at: t0 + hour, asn: 100, sha256: 'aa' }),
  reappeared('r-other-hoster', { at: t0 + day, asn: 200, sha256: 'aa' }),
  reappeared('r-after-asof', { at: window.asOf + 1, asn: 100, sha256: 'aa' }),
  reappeared('r-moved-not-removed', { at: t0 + 2 * day, asn: 100, sha256: 'bb' }),
  reappeared('r-no-hash', { at: t0 + day, asn: 100, sha256: null }),
];

describe('computeFigures', () => {
  const result = computeFigures({ cases, reappearances, window });
  const hoster = (asn: number) => result.hosters.find((row) => row.asn === asn);

  it('given removals, a move, online cases and one outside the period, then A has every figure by hand', () => {
    // Times to removal: 2 h, 20 h, +∞ (moved), +∞ (online). Median rank ⌈2⌉ = 2: 20 h; P90 rank ⌈3.6⌉ = 4: +∞.
    expect(hoster(100)).toEqual({
      asn: 100,
      asOrganisation: 'AS100 org',
      country: 'NL',
      countries: ['NL'],
      notices: 4,
      renotices: 1,
      removed: 2,
      moved: 1,
      stillOnline: 1,
      medianTimeToRemovalMs: 20 * hour,
      p90TimeToRemovalMs: null,
      removedWithin24hShare: 0.5,
      removedWithin12hShare: 0.25,
      onlineNow: 2,
      // NL online: a4, a5, b1, b2.
      countryOnlineShare: 0.5,
      recidivism: 1,
      overdueNow: 2,
    });
  });

  it('given a removal after asOf, then that case is online, right-censored, and overdue', () => {
    expect(hoster(200)).toMatchObject({
      notices: 2,
      removed: 0,
      stillOnline: 2,
      medianTimeToRemovalMs: null,
      p90TimeToRemovalMs: null,
      removedWithin24hShare: 0,
      removedWithin12hShare: 0,
      onlineNow: 2,
      countryOnlineShare: 0.5,
      recidivism: 0,
      overdueNow: 1,
    });
  });

  it('given a hoster in two countries, then its row has no country share and each country row has its own', () => {
    expect(hoster(300)).toMatchObject({
      country: null,
      countries: ['DE', 'FR'],
      onlineNow: 2,
      countryOnlineShare: null,
    });
    expect(result.hosterCountries.filter((row) => row.asn === 300)).toMatchObject([
      { country: 'DE', countries: ['DE'], notices: 1, onlineNow: 1, countryOnlineShare: 1 },
      { country: 'FR', countries: ['FR'], notices: 1, onlineNow: 1, countryOnlineShare: 1 },
    ]);
  });

  it('given no notice in the period and nothing online in its country, then shares and quantiles are null', () => {
    expect(hoster(400)).toMatchObject({
      notices: 0,
      removed: 0,
      stillOnline: 0,
      medianTimeToRemovalMs: null,
      p90TimeToRemovalMs: null,
      removedWithin24hShare: null,
      removedWithin12hShare: null,
      onlineNow: 0,
      countryOnlineShare: null,
    });
  });

  it('given cases in any order, then the figures are the same', () => {
    const reversed = computeFigures({
      cases: [...cases].reverse(),
      reappearances: [...reappearances].reverse(),
      window,
    });
    expect(reversed).toEqual(result);
  });

  it('given 30 removals of 1..30 minutes, then P90 is rank 27 exactly (0.9 × 30 is not rounded up to 28)', () => {
    const many = Array.from({ length: 30 }, (_, index) =>
      notice(`m${index}`, { asn: 7, country: 'NL', noticeAt: t0, removedAt: t0 + (index + 1) * minute }),
    );
    const row = computeFigures({ cases: many, reappearances: [], window }).hosters[0];
    expect(row).toMatchObject({ medianTimeToRemovalMs: 15 * minute, p90TimeToRemovalMs: 27 * minute });
  });
});

describe('nearestRank', () => {
  it('given 10 times, then the median is the 5th and P90 the 9th; with the 10th censored P90 is still the 9th', () => {
    const times = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(times, 10, 1, 2)).toBe(5);
    expect(nearestRank(times, 10, 9, 10)).toBe(9);
    expect(nearestRank(times.slice(0, 9), 10, 9, 10)).toBe(9);
    expect(nearestRank(times.slice(0, 8), 10, 9, 10)).toBeNull();
    expect(nearestRank([], 0, 1, 2)).toBeNull();
    expect(nearestRank([4], 1, 1, 2)).toBe(4);
  });
});

describe('overdueItems', () => {
  it('given the table, then the queue is the online cases noticed more than 24 h before asOf, oldest first', () => {
    expect(overdueItems(cases, window.asOf).map((item) => item.noticeId)).toEqual([
      'a5',
      'a4',
      'b2',
      'c1',
      'c2',
    ]);
    const [, a4] = overdueItems(cases, window.asOf, { asn: 100 });
    expect(a4).toEqual({
      partnerId: 'hotline-a',
      noticeId: 'a4',
      noticeEventId: 'e-a4',
      url: 'https://files.example.invalid/a4',
      sha256: null,
      itemId: null,
      asn: 100,
      country: 'NL',
      noticeAt: t0,
      renotices: [{ eventId: 'r1', at: t0 + 30 * hour }],
      onlineForMs: 10 * day,
    });
    expect(overdueItems(cases, window.asOf, { asn: 300, country: 'DE' })).toHaveLength(1);
  });

  it('given a case exactly 24 h old, then it is not overdue yet', () => {
    const exactly = notice('z', { asn: 1, country: 'NL', noticeAt: window.asOf - day });
    expect(overdueItems([exactly], window.asOf)).toEqual([]);
    expect(overdueItems([exactly], window.asOf + 1)).toHaveLength(1);
  });
});

describe('removalDistribution', () => {
  it("given A's cases, then two removals are binned and the survival curve keeps the censored cases", () => {
    const distribution = removalDistribution(
      cases.filter((item) => item.asn === 100),
      window,
    );
    expect(distribution.notices).toBe(4);
    expect(distribution.notRemoved).toBe(2);
    expect(distribution.bins.map((bin) => bin.removed)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect(distribution.bins[2]).toEqual({ fromMs: 2 * hour, toMs: 4 * hour, removed: 1 });
    expect(distribution.bins.at(-1)).toEqual({ fromMs: 168 * hour, toMs: null, removed: 0 });
    expect(distribution.notRemovedAt12hShare).toBe(0.75);
    expect(distribution.notRemovedAt24hShare).toBe(0.5);
    expect(distribution.survival.slice(0, 3)).toEqual([
      { atMs: 0, notRemovedShare: 1 },
      { atMs: hour, notRemovedShare: 1 },
      { atMs: 2 * hour, notRemovedShare: 0.75 },
    ]);
  });
});

describe('periodMonths', () => {
  it('given a period over a year end, clipped by asOf, then each month is clipped to the period', () => {
    const from = Date.UTC(2025, 11, 15);
    expect(periodMonths({ from, to: Date.UTC(2026, 5, 1), asOf: Date.UTC(2026, 1, 3) })).toEqual([
      { month: '2025-12', from, to: Date.UTC(2026, 0, 1) },
      { month: '2026-01', from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1) },
      { month: '2026-02', from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 2, 1) },
    ]);
  });

  // Issue 15 (schemathesis over seeded hoster figures): `from` in the year 711 gave the month
  // "711-05" against the documented `^\d{4}-\d{2}$`, and a year under 100 would have been read
  // by Date.UTC as 19xx.
  it('given a period starting before the year 1000 or 100, then four-digit months of those years', () => {
    const year = (value: number, month: number) => {
      const date = new Date(0);
      date.setUTCFullYear(value, month, 1);
      return date.getTime();
    };
    const from = year(711, 4);
    expect(periodMonths({ from, to: year(711, 6), asOf: year(2026, 0) }).map((row) => row.month)).toEqual([
      '0711-05',
      '0711-06',
    ]);
    const early = periodMonths({ from: year(50, 11), to: year(51, 1), asOf: year(2026, 0) });
    expect(early).toEqual([
      { month: '0050-12', from: year(50, 11), to: year(51, 0) },
      { month: '0051-01', from: year(51, 0), to: year(51, 1) },
    ]);
  });
});

describe('hosterTrend', () => {
  /** The trend by definition: every month's figures computed over all the hoster's cases. */
  function trendByDefinition(asn: number, window: FiguresWindow) {
    return periodMonths(window).map(({ month, from, to }) => {
      const row =
        computeFigures({ cases, reappearances, window: { from, to, asOf: window.asOf } }).hosters.find(
          (hoster) => hoster.asn === asn,
        ) ?? emptyFigures(asn);
      const { onlineNow, countryOnlineShare, overdueNow, countries, ...figures } = row;
      return { month, from, to, ...figures };
    });
  }

  it.each([
    ['the table', window],
    ['February to April', { from: Date.UTC(2026, 1, 10), to: Date.UTC(2026, 3, 20), asOf: window.asOf }],
    ['as of the first hour', { from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 5, 1), asOf: t0 + hour }],
  ])(
    'given %s, then one pass per month gives the figures of a pass over every case per month',
    (_, trendWindow) => {
      for (const asn of [100, 200, 300, 400, 999]) {
        const own = cases.filter((item) => item.asn === asn);
        expect(hosterTrend(asn, own, reappearances, trendWindow), `AS${asn}`).toEqual(
          trendByDefinition(asn, trendWindow),
        );
      }
    },
  );

  it('given the table, then March has A’s notices and its one recidivism', () => {
    const [march] = hosterTrend(100, cases, reappearances, window);
    expect(march).toMatchObject({ month: '2026-03', notices: 4, removed: 2, recidivism: 1, country: 'NL' });
  });
});

describe('rankHosters', () => {
  it('given a sort on the median, then nulls come last either way, ties by notices then ASN, and minNotices filters', () => {
    const { hosters } = computeFigures({ cases, reappearances, window });
    const asns = (rows: { asn: number }[]) => rows.map((row) => row.asn);
    // overdueNow: A 2 (4 notices), C 2 (2 notices), B 1, D 0.
    expect(asns(rankHosters(hosters))).toEqual([100, 300, 200, 400]);
    expect(asns(rankHosters(hosters, { sort: 'medianTimeToRemovalMs', order: 'asc' }))).toEqual([
      100, 200, 300, 400,
    ]);
    expect(asns(rankHosters(hosters, { sort: 'removedWithin24hShare', order: 'asc' }))).toEqual([
      200, 300, 100, 400,
    ]);
    expect(asns(rankHosters(hosters, { minNotices: 3 }))).toEqual([100]);
  });
});
