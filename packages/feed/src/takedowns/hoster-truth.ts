// The hoster figures of docs/hoster-figures.md, computed from the takedown PLAN (the delays and
// fates the generator chose), not by folding its events: the monitor folds the events, and the two
// must agree to the millisecond.
import type { FeedCountry } from '../ip-ranges.ts';
import { takedownEventsPath } from './takedown-events.ts';
import type { PlannedCase, TakedownPlan } from './types.ts';

const HOUR = 3_600_000;

/** The figures of one hoster, or of one hoster within one country (docs/hoster-figures.md). */
export interface HosterFigures {
  readonly notices: number;
  readonly renotices: number;
  readonly removed: number;
  readonly moved: number;
  readonly stillOnline: number;
  readonly medianTimeToRemovalMs: number | null;
  readonly p90TimeToRemovalMs: number | null;
  readonly removedWithin24hShare: number | null;
  readonly removedWithin12hShare: number | null;
  readonly onlineNow: number;
  /** Null for an AS in several countries (its per-country rows have theirs) or when no hoster there has any online. */
  readonly countryOnlineShare: number | null;
  readonly recidivism: number;
  readonly overdueNow: number;
}

/** One case of the re-notice queue: online at `asOf`, first notice more than 24 h before. */
export interface OverdueCase {
  readonly partnerId: string;
  readonly noticeId: string;
  readonly firstNoticeAt: string;
  /** The latest re-notice at or before `asOf`; null when none. */
  readonly lastRenoticeAt: string | null;
  readonly renotices: number;
  readonly sha256: string;
  readonly url: string;
  readonly ip: string;
}

export interface HosterCountryTruth extends HosterFigures {
  readonly country: FeedCountry;
  readonly overdue: readonly OverdueCase[];
}

export interface HosterTruthRow extends HosterFigures {
  readonly asn: number;
  /** The providers of the feed ranges in this AS (the enricher's AS organisation may spell it otherwise). */
  readonly providers: readonly string[];
  readonly countries: readonly HosterCountryTruth[];
  readonly overdue: readonly OverdueCase[];
}

/** `truth/hosters.json`. */
export interface HosterTruth {
  readonly generator: string;
  readonly seed: number;
  readonly period: { readonly from: string; readonly to: string };
  readonly asOf: string;
  readonly partners: readonly {
    readonly partnerId: string;
    readonly events: string;
    readonly eventCount: number;
  }[];
  readonly counts: {
    readonly cases: number;
    readonly events: number;
    readonly byType: Readonly<Record<string, number>>;
    readonly byOutcome: {
      readonly removed: number;
      readonly moved: number;
      readonly never: number;
      readonly censored: number;
    };
  };
  /** By ASN ascending; countries by code. */
  readonly hosters: readonly HosterTruthRow[];
}

export interface HosterTruthOptions {
  /** Default the plan's period. */
  readonly from?: number;
  readonly to?: number;
  /** Default the plan's `asOf`; events after it do not exist yet. */
  readonly asOf?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

interface CaseState {
  readonly entry: PlannedCase;
  /** Removal or move at or before asOf; null while online. */
  readonly closedAt: number | null;
  readonly timeToRemovalMs: number | null;
  readonly renotices: readonly number[];
}

function stateAt(entry: PlannedCase, asOf: number): CaseState {
  const { outcome } = entry;
  const closedAt = outcome.kind !== 'online' && outcome.at <= asOf ? outcome.at : null;
  return {
    entry,
    closedAt,
    timeToRemovalMs: outcome.kind === 'removed' && closedAt !== null ? outcome.at - entry.noticeAt : null,
    renotices: entry.renoticeAts.filter((at) => at <= asOf),
  };
}

/**
 * Nearest-rank quantile `numerator/denominator` over `count` times, the ones missing being +∞:
 * the smallest time with at least ⌈q·count⌉ at or below it, null when not reached. Integer
 * arithmetic, because 0.9 * 30 is 27.000000000000004 in floating point.
 */
function nearestRank(
  finiteAscending: readonly number[],
  count: number,
  numerator: number,
  denominator: number,
): number | null {
  if (count === 0) return null;
  const rank = Math.floor((numerator * count + denominator - 1) / denominator);
  return rank <= finiteAscending.length ? finiteAscending[rank - 1]! : null;
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

interface Scope {
  /** Cases of the period (first notice in [from, to), at or before asOf). */
  readonly period: readonly CaseState[];
  /** Cases of any period known at asOf. */
  readonly known: readonly CaseState[];
  /** Reappearances in the period attributed here that count as recidivism. */
  readonly recidivism: number;
  /** Cases online at asOf in every hoster of the country, or null for no single country. */
  readonly countryOnline: number | null;
}

function figuresOf(scope: Scope, asOf: number): HosterFigures & { overdue: OverdueCase[] } {
  const { period } = scope;
  const times = period
    .map((state) => state.timeToRemovalMs)
    .filter((time): time is number => time !== null)
    .sort((a, b) => a - b);
  const moved = period.filter(
    (state) => state.closedAt !== null && state.entry.outcome.kind === 'moved',
  ).length;
  const online = scope.known.filter((state) => state.closedAt === null);
  const overdue = online
    .filter((state) => state.entry.noticeAt < asOf - 24 * HOUR)
    .sort((a, b) => a.entry.noticeAt - b.entry.noticeAt || (a.entry.noticeId < b.entry.noticeId ? -1 : 1))
    .map(({ entry, renotices }) => ({
      partnerId: entry.partnerId,
      noticeId: entry.noticeId,
      firstNoticeAt: iso(entry.noticeAt),
      lastRenoticeAt: renotices.length === 0 ? null : iso(renotices[renotices.length - 1]!),
      renotices: renotices.length,
      sha256: entry.sha256,
      url: entry.url,
      ip: entry.hosting.ip,
    }));
  return {
    notices: period.length,
    renotices: period.reduce((sum, state) => sum + state.renotices.length, 0),
    removed: times.length,
    moved,
    stillOnline: period.length - times.length - moved,
    medianTimeToRemovalMs: nearestRank(times, period.length, 1, 2),
    p90TimeToRemovalMs: nearestRank(times, period.length, 9, 10),
    removedWithin24hShare: share(times.filter((time) => time <= 24 * HOUR).length, period.length),
    removedWithin12hShare: share(times.filter((time) => time <= 12 * HOUR).length, period.length),
    onlineNow: online.length,
    countryOnlineShare: scope.countryOnline === null ? null : share(online.length, scope.countryOnline),
    recidivism: scope.recidivism,
    overdueNow: overdue.length,
    overdue,
  };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** Every figure per hoster (ASN) and per hoster within a country, from the plan. */
export function buildHosterTruth(plan: TakedownPlan, options: HosterTruthOptions = {}): HosterTruth {
  const from = options.from ?? plan.from;
  const to = options.to ?? plan.to;
  const asOf = options.asOf ?? plan.asOf;
  const known = plan.cases.filter((entry) => entry.noticeAt <= asOf).map((entry) => stateAt(entry, asOf));
  const inPeriod = (state: CaseState) => state.entry.noticeAt >= from && state.entry.noticeAt < to;

  // Removals by content, for recidivism: a reappearance counts where its hash had a removed case before it.
  const removals = groupBy(
    known.filter((state) => state.timeToRemovalMs !== null),
    (state) => state.entry.sha256,
  );
  const reappearances = known.filter(({ entry }) => {
    const at = entry.reappearedAt;
    return at !== null && at >= from && at < to && at <= asOf;
  });
  const recidivismOf = (asn: number, country: FeedCountry | null) =>
    reappearances.filter(({ entry }) => {
      if (entry.hosting.asn !== asn || (country !== null && entry.hosting.country !== country)) return false;
      return (removals.get(entry.sha256) ?? []).some(
        (removal) =>
          removal.entry.hosting.asn === asn &&
          (country === null || removal.entry.hosting.country === country) &&
          removal.closedAt! < entry.reappearedAt!,
      );
    }).length;

  const onlineByCountry = new Map<FeedCountry, number>();
  for (const state of known) {
    if (state.closedAt !== null) continue;
    const { country } = state.entry.hosting;
    onlineByCountry.set(country, (onlineByCountry.get(country) ?? 0) + 1);
  }

  const hosters = [...groupBy(known, (state) => state.entry.hosting.asn)]
    .sort(([a], [b]) => a - b)
    .map(([asn, states]): HosterTruthRow => {
      const countries = [...groupBy(states, (state) => state.entry.hosting.country)]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(
          ([country, inCountry]): HosterCountryTruth => ({
            country,
            ...figuresOf(
              {
                period: inCountry.filter(inPeriod),
                known: inCountry,
                recidivism: recidivismOf(asn, country),
                countryOnline: onlineByCountry.get(country) ?? 0,
              },
              asOf,
            ),
          }),
        );
      const single = countries.length === 1 ? countries[0]!.country : null;
      return {
        asn,
        providers: [...new Set(states.map((state) => state.entry.hosting.provider))].sort(),
        ...figuresOf(
          {
            period: states.filter(inPeriod),
            known: states,
            recidivism: recidivismOf(asn, null),
            countryOnline: single === null ? null : (onlineByCountry.get(single) ?? 0),
          },
          asOf,
        ),
        countries,
      };
    });

  return {
    generator: 'triage feed takedowns 1',
    seed: plan.seed,
    period: { from: iso(from), to: iso(to) },
    asOf: iso(asOf),
    partners: plan.partners.map((partner) => ({
      partnerId: partner.partnerId,
      events: takedownEventsPath(partner.partnerId),
      eventCount: eventCounts(plan.cases.filter((entry) => entry.partnerId === partner.partnerId)).events,
    })),
    counts: { cases: plan.cases.length, ...eventCounts(plan.cases), byOutcome: outcomes(plan.cases) },
    hosters,
  };
}

function eventCounts(cases: readonly PlannedCase[]): { events: number; byType: Record<string, number> } {
  const byType: Record<string, number> = {
    report_received: cases.length,
    notice_sent: cases.length,
    renotice_sent: cases.reduce((sum, entry) => sum + entry.renoticeAts.length, 0),
    removed_confirmed: cases.filter((entry) => entry.outcome.kind === 'removed').length,
    content_moved: cases.filter((entry) => entry.outcome.kind === 'moved').length,
    reappeared: cases.filter((entry) => entry.reappearedAt !== null).length,
  };
  return { events: Object.values(byType).reduce((sum, count) => sum + count, 0), byType };
}

function outcomes(cases: readonly PlannedCase[]): HosterTruth['counts']['byOutcome'] {
  const count = (test: (entry: PlannedCase) => boolean) => cases.filter(test).length;
  return {
    removed: count((entry) => entry.outcome.kind === 'removed'),
    moved: count((entry) => entry.outcome.kind === 'moved'),
    never: count((entry) => entry.outcome.kind === 'online' && entry.outcome.why === 'never'),
    censored: count((entry) => entry.outcome.kind === 'online' && entry.outcome.why === 'censored'),
  };
}
