// The hoster figures of a small month worked out by hand (comments show the sums), then the
// censoring and consistency of the truth of generated months.
import { describe, expect, it } from 'vitest';
import { buildHosterTruth, type HosterFigures, type HosterTruthRow } from './hoster-truth.ts';
import { defaultTakedownPartners, planTakedowns } from './plan-takedowns.ts';
import { takedownEvents } from './takedown-events.ts';
import { ruleViolations } from './testing/takedown-rules.ts';
import type { CaseOutcome, PlannedCase, PlannedHosting, TakedownPlan } from './types.ts';

const H = 3_600_000;
const sep = (day: number, hour = 0) => Date.UTC(2026, 8, day, hour);
const from = sep(1);
const to = Date.UTC(2026, 9, 1);

function hosting(asn: number, country: PlannedHosting['country'], cidr: string, ip: string): PlannedHosting {
  return {
    asn,
    country,
    cidr,
    provider: `AS${asn}`,
    ip,
    host: `site-${asn}-${country.toLowerCase()}.example`,
    hosterHint: `as${asn}`,
    hosterContact: `abuse@as${asn}.example.invalid`,
  };
}
const leaseweb = hosting(60781, 'NL', '95.211.0.0/16', '95.211.1.1');
const doUs = hosting(14061, 'US', '104.236.0.0/16', '104.236.1.1');
const doGb = hosting(14061, 'GB', '46.101.0.0/18', '46.101.1.1');
const ovh = hosting(16276, 'FR', '91.121.0.0/18', '91.121.1.1');

let serial = 0;
function planned(
  site: PlannedHosting,
  noticeAt: number,
  outcome: CaseOutcome,
  extra: Partial<Pick<PlannedCase, 'sha256' | 'renoticeAts' | 'reappearedAt' | 'url'>> = {},
): PlannedCase {
  serial += 1;
  return {
    partnerId: 'hotline-nl',
    noticeId: `N-${serial}`,
    url: extra.url ?? `https://${site.host}/i/${serial}`,
    hosting: site,
    sha256: extra.sha256 ?? serial.toString(16).padStart(64, '0'),
    itemId: null,
    reportAt: (extra.reappearedAt ?? noticeAt) - (extra.reappearedAt ? H / 2 : H),
    reappearedAt: extra.reappearedAt ?? null,
    noticeAt,
    renoticeAts: extra.renoticeAts ?? [],
    outcome,
  };
}
const removed = (at: number): CaseOutcome => ({ kind: 'removed', at });
const online: CaseOutcome = { kind: 'online', why: 'never', plannedAt: null };

const a1 = planned(leaseweb, sep(1), removed(sep(1, 2))); // 2 h
const a2 = planned(leaseweb, sep(2), removed(sep(2, 13))); // 13 h
const a3 = planned(leaseweb, sep(3), removed(sep(4, 6)), { renoticeAts: [sep(4, 0)] }); // 30 h, 1 re-notice
const a4 = planned(leaseweb, sep(4), online, { renoticeAts: [sep(5), sep(6)] }); // online, overdue
const c1 = planned(ovh, sep(5, 12), removed(sep(9, 16))); // moved here from a5: 100 h
const a5 = planned(leaseweb, sep(5), {
  kind: 'moved',
  at: sep(5, 5),
  newUrl: c1.url,
  newHosting: ovh,
});
// a1's content back at LeaseWeb (recidivism 1), removed after 1 h.
const a6 = planned(leaseweb, sep(10, 1), removed(sep(10, 2)), {
  sha256: a1.sha256,
  reappearedAt: sep(10),
  url: a1.url,
});
// a2's content back at OVH, where it was never removed: no recidivism there.
const c2 = planned(ovh, sep(12, 1), online, {
  sha256: a2.sha256,
  reappearedAt: sep(12),
  renoticeAts: [sep(13, 2)],
});
const b1 = planned(doUs, sep(20), removed(sep(20, 20))); // 20 h
const b2 = planned(
  doGb,
  sep(29, 12),
  { kind: 'online', why: 'censored', plannedAt: Date.UTC(2026, 9, 3) },
  {
    renoticeAts: [sep(30, 12)],
  },
); // online 36 h at asOf: overdue
const b3 = planned(doGb, sep(30, 6), online); // online 18 h at asOf: not overdue yet

const plan: TakedownPlan = {
  seed: 0,
  from,
  to,
  asOf: to,
  idTag: 'hand',
  partners: defaultTakedownPartners.slice(0, 1),
  cases: [a1, a2, a3, a4, a5, c1, a6, c2, b1, b2, b3],
};

const figures = (row: HosterTruthRow): HosterFigures => {
  const { overdue: _overdue, countries: _countries, asn: _asn, providers: _providers, ...rest } = row;
  return rest;
};

describe('buildHosterTruth on a hand-checked month', () => {
  const truth = buildHosterTruth(plan);
  const byAsn = new Map(truth.hosters.map((row) => [row.asn, row]));

  it('given LeaseWeb: 6 notices, removals after 1, 2, 13 and 30 h, one moved, one online, when built, then its figures', () => {
    // times sorted: 1h 2h 13h 30h ∞ ∞ (N = 6); median rank ⌈3⌉ = 3 -> 13 h; P90 rank ⌈5.4⌉ = 6 -> ∞ -> null.
    expect(figures(byAsn.get(60781)!)).toEqual({
      notices: 6,
      renotices: 3,
      removed: 4,
      moved: 1,
      stillOnline: 1,
      medianTimeToRemovalMs: 13 * H,
      p90TimeToRemovalMs: null,
      removedWithin24hShare: 3 / 6,
      removedWithin12hShare: 2 / 6,
      onlineNow: 1,
      countryOnlineShare: 1,
      recidivism: 1,
      overdueNow: 1,
    } satisfies HosterFigures);
    expect(byAsn.get(60781)!.overdue).toEqual([
      {
        partnerId: 'hotline-nl',
        noticeId: a4.noticeId,
        firstNoticeAt: '2026-09-04T00:00:00.000Z',
        lastRenoticeAt: '2026-09-06T00:00:00.000Z',
        renotices: 2,
        sha256: a4.sha256,
        url: a4.url,
        ip: '95.211.1.1',
      },
    ]);
  });

  it('given OVH: the moved content removed after 100 h and reappeared content never removed there, when built, then no recidivism', () => {
    // times: 100h ∞ (N = 2); median rank 1 -> 100 h; P90 rank ⌈1.8⌉ = 2 -> null.
    expect(figures(byAsn.get(16276)!)).toEqual({
      notices: 2,
      renotices: 1,
      removed: 1,
      moved: 0,
      stillOnline: 1,
      medianTimeToRemovalMs: 100 * H,
      p90TimeToRemovalMs: null,
      removedWithin24hShare: 0,
      removedWithin12hShare: 0,
      onlineNow: 1,
      countryOnlineShare: 1,
      recidivism: 0,
      overdueNow: 1,
    } satisfies HosterFigures);
  });

  it('given DigitalOcean in the US and GB, when built, then the AS row and each country row, and no single country share for the AS', () => {
    const row = byAsn.get(14061)!;
    // AS: times 20h ∞ ∞ (N = 3): median rank 2 -> null.
    expect(figures(row)).toEqual({
      notices: 3,
      renotices: 1,
      removed: 1,
      moved: 0,
      stillOnline: 2,
      medianTimeToRemovalMs: null,
      p90TimeToRemovalMs: null,
      removedWithin24hShare: 1 / 3,
      removedWithin12hShare: 0,
      onlineNow: 2,
      countryOnlineShare: null,
      recidivism: 0,
      overdueNow: 1,
    } satisfies HosterFigures);
    const [gb, us] = row.countries;
    // US: N = 1, 20 h: median and P90 are rank 1. No case online in the US: share null.
    expect(us).toMatchObject({
      country: 'US',
      notices: 1,
      medianTimeToRemovalMs: 20 * H,
      p90TimeToRemovalMs: 20 * H,
      removedWithin24hShare: 1,
      removedWithin12hShare: 0,
      onlineNow: 0,
      countryOnlineShare: null,
      overdueNow: 0,
    });
    // GB: both online; b2 noticed 36 h before asOf is overdue, b3 (18 h) is not.
    expect(gb).toMatchObject({
      country: 'GB',
      notices: 2,
      removed: 0,
      stillOnline: 2,
      medianTimeToRemovalMs: null,
      removedWithin24hShare: 0,
      onlineNow: 2,
      countryOnlineShare: 1,
      overdueNow: 1,
    });
    expect(gb!.overdue.map((entry) => entry.noticeId)).toEqual([b2.noticeId]);
  });

  it('given asOf on 3 September noon, when built, then later events do not exist: a3 is online and not yet overdue', () => {
    const early = buildHosterTruth(plan, { asOf: sep(3, 12) });
    expect(early.hosters.map((row) => row.asn)).toEqual([60781]);
    // a1 2h, a2 13h, a3 online (N = 3): median rank 2 -> 13 h; P90 rank 3 -> null.
    expect(figures(early.hosters[0]!)).toEqual({
      notices: 3,
      renotices: 0,
      removed: 2,
      moved: 0,
      stillOnline: 1,
      medianTimeToRemovalMs: 13 * H,
      p90TimeToRemovalMs: null,
      removedWithin24hShare: 2 / 3,
      removedWithin12hShare: 1 / 3,
      onlineNow: 1,
      countryOnlineShare: 1,
      recidivism: 0,
      overdueNow: 0,
    } satisfies HosterFigures);
  });

  it('given the hand-made plan, when its events are rendered, then they obey the rules and the truth counts them by type', () => {
    expect(truth.counts.byType).toEqual({
      report_received: 11,
      notice_sent: 11,
      renotice_sent: 5,
      removed_confirmed: 6,
      content_moved: 1,
      reappeared: 2,
    });
    const events = takedownEvents(plan);
    expect(truth.counts.events).toBe([...events.values()].flat().length);
    expect(ruleViolations(events)).toEqual([]);
  });
});

describe('nearest-rank quantiles', () => {
  it('given 30 removals after 1..30 h, when built, then P90 is the 27th (0.9 * 30 is 27.000000000000004 in floating point)', () => {
    const hetzner = hosting(24940, 'DE', '88.198.0.0/16', '88.198.1.1');
    const cases = Array.from({ length: 30 }, (_, index) =>
      planned(hetzner, sep(2), removed(sep(2, index + 1))),
    );
    const [row] = buildHosterTruth({ ...plan, cases }).hosters;
    expect(row).toMatchObject({
      medianTimeToRemovalMs: 15 * H,
      p90TimeToRemovalMs: 27 * H,
      removedWithin12hShare: 12 / 30,
    });
  });
});

describe('buildHosterTruth on generated months', () => {
  const plan = planTakedowns({ seed: 42, from, notices: 600 });
  const truth = buildHosterTruth(plan);

  it('given a month, when built, then censoring shows: content still online, never-removed and censored cases, null quantiles', () => {
    expect(truth.counts.byOutcome.never).toBeGreaterThan(0);
    expect(truth.counts.byOutcome.censored).toBeGreaterThan(0);
    expect(truth.counts.byOutcome.moved).toBeGreaterThan(0);
    expect(truth.hosters.every((row) => row.stillOnline > 0)).toBe(true);
    expect(truth.hosters.some((row) => row.p90TimeToRemovalMs === null)).toBe(true);
    expect(truth.hosters.some((row) => row.recidivism > 0)).toBe(true);
    for (const row of truth.hosters) {
      expect(row.stillOnline).toBe(row.notices - row.removed - row.moved);
      expect(row.overdue).toHaveLength(row.overdueNow);
    }
  });

  it('given a month, when built, then removal delays are skewed: some past 12 h and past 24 h, and hosters differ', () => {
    const all = truth.hosters.map((row) => row.removedWithin24hShare!);
    expect(Math.min(...all)).toBeLessThan(0.5);
    expect(Math.max(...all)).toBeGreaterThan(0.85);
    for (const row of truth.hosters) {
      expect(row.removedWithin12hShare!).toBeLessThanOrEqual(row.removedWithin24hShare!);
      expect(row.removedWithin24hShare!).toBeLessThan(row.removed / row.notices);
    }
  });

  it('given a month, when built, then country rows add up to their AS row and country shares to one per country', () => {
    const shares = new Map<string, number>();
    for (const row of truth.hosters) {
      for (const key of [
        'notices',
        'renotices',
        'removed',
        'moved',
        'onlineNow',
        'recidivism',
        'overdueNow',
      ] as const) {
        expect(
          row.countries.reduce((sum, country) => sum + country[key], 0),
          `${row.asn} ${key}`,
        ).toBe(row[key]);
      }
      for (const country of row.countries)
        shares.set(country.country, (shares.get(country.country) ?? 0) + (country.countryOnlineShare ?? 0));
    }
    for (const [country, sum] of shares) expect(sum, country).toBeCloseTo(1, 12);
  });
});
