import { describe, expect, it } from 'vitest';
import type { HosterFigures, OverdueItem, RemovalDistribution, TrendMonth } from './hoster-types.ts';
import {
  binLabel,
  countTicks,
  durationText,
  figureText,
  periodFilter,
  periodQuery,
  rankingBars,
  rankingFilter,
  rankingQuery,
  removalTimeText,
  renoticeList,
  shareText,
  survivalRows,
  trendStack,
} from './hoster-view.ts';

const hour = 3_600_000;
const day = 24 * hour;

const row = (facts: Partial<HosterFigures>): HosterFigures => ({
  asn: 1,
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
  recidivism: 0,
  onlineNow: 0,
  countryOnlineShare: null,
  overdueNow: 0,
  ...facts,
});

describe('figures as text', () => {
  it('given durations, then the largest two units that matter', () => {
    expect(
      [45 * 60_000, 3 * hour, 3 * hour + 20 * 60_000, 30 * hour, 4 * day + 23 * hour, 5 * day].map(
        durationText,
      ),
    ).toEqual(['45 min', '3 h', '3 h 20 min', '30 h', '4 d 23 h', '5 d']);
    expect(durationText(null)).toBe('—');
  });

  it('given shares, then percent with one decimal where it matters; null is a dash', () => {
    expect([1 / 3, 1, 0, 2 / 3].map(shareText)).toEqual(['33.3 %', '100 %', '0 %', '66.7 %']);
    expect(shareText(null)).toBe('—');
  });

  it('given a null median, then "not reached"; a null share, then "no notices"', () => {
    expect(figureText('medianTimeToRemovalMs', null)).toBe('not reached');
    expect(figureText('removedWithin24hShare', null)).toBe('no notices');
    expect(figureText('overdueNow', 3)).toBe('3');
  });

  it('given a median without notices, then a dash; with notices but too few removed, then "not reached"', () => {
    expect([removalTimeText(null, 0), removalTimeText(null, 3), removalTimeText(30 * hour, 3)]).toEqual([
      '—',
      'not reached',
      '30 h',
    ]);
  });
});

describe('ranking bars', () => {
  it('given a share, then its own 0–100 scale whatever the other rows; null has no bar', () => {
    const rows = [row({ removedWithin24hShare: 0.25 }), row({ removedWithin24hShare: null })];
    expect(rankingBars(rows, 'removedWithin24hShare')).toEqual([25, null]);
  });

  it('given counts or durations, then against the largest row; all zero gives empty bars', () => {
    expect(rankingBars([row({ overdueNow: 4 }), row({ overdueNow: 1 }), row({})], 'overdueNow')).toEqual([
      100, 25, 0,
    ]);
    expect(rankingBars([row({}), row({})], 'onlineNow')).toEqual([0, 0]);
    expect(
      rankingBars(
        [row({ medianTimeToRemovalMs: 3 * hour }), row({ medianTimeToRemovalMs: null })],
        'medianTimeToRemovalMs',
      ),
    ).toEqual([100, null]);
  });
});

describe('charts', () => {
  const distribution: RemovalDistribution = {
    notices: 3,
    bins: [
      { fromMs: 0, toMs: hour, removed: 0 },
      { fromMs: 168 * hour, toMs: null, removed: 1 },
    ],
    notRemoved: 1,
    survival: [
      { atMs: 0, notRemovedShare: 1 },
      { atMs: 12 * hour, notRemovedShare: 2 / 3 },
      { atMs: 24 * hour, notRemovedShare: 2 / 3 },
    ],
    notRemovedAt12hShare: 2 / 3,
    notRemovedAt24hShare: 2 / 3,
  };

  it('given the survival points, then hours and percent; without notices none', () => {
    expect(survivalRows(distribution)).toEqual([
      { hours: 0, percent: 100 },
      { hours: 12, percent: 66.7 },
      { hours: 24, percent: 66.7 },
    ]);
    expect(survivalRows({ ...distribution, survival: [{ atMs: 0, notRemovedShare: null }] })).toEqual([]);
  });

  it('given a largest count, then whole-number ticks up to it, about six', () => {
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(0)).toEqual([0]);
    expect(countTicks(20)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(countTicks(13)).toEqual([0, 3, 6, 9, 12, 15]);
  });

  it('given bins, then their edges in words, the open one "or more"', () => {
    expect(distribution.bins.map(binLabel)).toEqual(['0–1 h', '168 h or more']);
  });

  it('given a month, then its notices split into parts that add up to them', () => {
    const month = {
      month: '2026-03',
      notices: 5,
      removed: 3,
      moved: 1,
      stillOnline: 1,
      removedWithin24hShare: 2 / 5,
    } as TrendMonth;
    const parts = trendStack([month]);
    expect(parts.map((part) => [part.part, part.count])).toEqual([
      ['removed within 24 h', 2],
      ['removed later', 1],
      ['moved', 1],
      ['still online', 1],
    ]);
    expect(parts.reduce((sum, part) => sum + part.count, 0)).toBe(month.notices);
  });
});

describe('the period and filters in the URL', () => {
  const now = Date.UTC(2026, 2, 15, 10);

  it('given no period, then the last 12 months up to now', () => {
    const period = periodFilter(new URLSearchParams(), now);
    expect(period).toEqual({ from: '2025-04-01', to: '', asOf: '' });
    expect(periodQuery(period).toString()).toBe('from=2025-04-01T00%3A00%3A00Z');
  });

  it('given a last day and an as-of minute, then the API gets the next midnight and the minute', () => {
    const query = periodQuery(
      periodFilter(new URLSearchParams('from=2026-02-01&to=2026-03-31&asOf=2026-03-06T00:00'), now),
    );
    expect(Object.fromEntries(query)).toEqual({
      from: '2026-02-01T00:00:00Z',
      to: '2026-04-01T00:00:00.000Z',
      asOf: '2026-03-06T00:00:00Z',
    });
  });

  it('given bad values, then the defaults rather than a refused request', () => {
    const filter = rankingFilter('?from=yesterday&country=nl&minNotices=-2&sort=drop&order=up', now);
    expect(filter).toMatchObject({
      from: '2025-04-01',
      country: 'NL',
      minNotices: 0,
      sort: 'overdueNow',
      order: 'desc',
    });
    expect(rankingQuery({ ...filter, minNotices: 2, sort: 'removedWithin24hShare', order: 'asc' })).toBe(
      'from=2025-04-01T00%3A00%3A00Z&country=NL&minNotices=2&sort=removedWithin24hShare&order=asc',
    );
  });
});

describe('the re-notice list', () => {
  it('given overdue cases, then a header and one tab-separated line each, a tab in a URL made a space', () => {
    const item: OverdueItem = {
      partnerId: 'hotline-a',
      noticeId: 'n3',
      noticeEventId: 'n3-notice',
      url: 'https://files3.example.invalid/a\tb',
      sha256: '3'.repeat(64),
      itemId: null,
      country: 'NL',
      noticeAt: '2026-03-01T01:00:00.000Z',
      renotices: [{ eventId: 'r', at: '2026-03-02T02:00:00.000Z' }],
      onlineForMs: 4 * day + 23 * hour + 5 * 60_000,
    };
    const lines = renoticeList([item]).trimEnd().split('\n');
    expect(lines[0]?.split('\t')).toEqual([
      'noticeId',
      'partnerId',
      'url',
      'sha256',
      'firstNoticeAt',
      'renotices',
      'lastRenoticeAt',
      'onlineForHours',
    ]);
    expect(lines[1]?.split('\t')).toEqual([
      'n3',
      'hotline-a',
      'https://files3.example.invalid/a b',
      '3'.repeat(64),
      '2026-03-01T01:00:00.000Z',
      '1',
      '2026-03-02T02:00:00.000Z',
      '119',
    ]);
  });
});
