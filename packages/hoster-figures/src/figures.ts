import type { FiguresWindow, HosterFigures, NoticeCase, OverdueItem, Reappearance } from './types.ts';

const hourMs = 3_600_000;
/** The Dutch norm: removal within 24 hours of a notice; overdue after it. */
export const norm24hMs = 24 * hourMs;
/** The legal line since 2024. */
export const norm12hMs = 12 * hourMs;

/** A case as of `asOf`: counted once its notice exists; closed by the earlier of removal and move. */
export interface CaseState {
  counted: boolean;
  /** Time to removal, or +Infinity (online or moved: right-censored, never dropped). */
  timeToRemovalMs: number;
  removed: boolean;
  moved: boolean;
  online: boolean;
}

export function caseState(notice: NoticeCase, asOf: number): CaseState {
  const noticeAt = notice.noticeAt;
  if (noticeAt === null || noticeAt > asOf) {
    return { counted: false, timeToRemovalMs: Infinity, removed: false, moved: false, online: false };
  }
  const removedAt = notice.removedAt !== null && notice.removedAt <= asOf ? notice.removedAt : null;
  const movedAt = notice.movedAt !== null && notice.movedAt <= asOf ? notice.movedAt : null;
  const removed = removedAt !== null && (movedAt === null || removedAt <= movedAt);
  const moved = movedAt !== null && !removed;
  return {
    counted: true,
    timeToRemovalMs: removed ? (removedAt as number) - noticeAt : Infinity,
    removed,
    moved,
    online: !removed && !moved,
  };
}

/**
 * Nearest-rank quantile `numerator/denominator` over `n` times of which `finiteSorted` are the
 * finite ones, ascending (the rest are +∞): the smallest time with at least ⌈q·n⌉ times at or
 * below it; null when n is 0 or the rank falls on +∞. The rank is integer arithmetic, so 0.9·n is
 * never 8.999… .
 */
export function nearestRank(
  finiteSorted: ArrayLike<number>,
  n: number,
  numerator: number,
  denominator: number,
): number | null {
  if (n === 0) return null;
  const rank = Math.ceil((numerator * n) / denominator);
  return rank <= finiteSorted.length ? (finiteSorted[rank - 1] as number) : null;
}

/** `part / whole`, null when the denominator is 0. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

interface Unit {
  asn: number;
  asOrganisation: string | null;
  /** When the organisation was seen (the latest notice names it). */
  organisationAt: number;
  country: string | null;
  countries: Set<string | null>;
  notices: number;
  renotices: number;
  removed: number;
  moved: number;
  times: number[];
  onlineNow: number;
  overdueNow: number;
  recidivism: number;
}

function newUnit(asn: number, country: string | null): Unit {
  return {
    asn,
    asOrganisation: null,
    organisationAt: -Infinity,
    country,
    countries: new Set(),
    notices: 0,
    renotices: 0,
    removed: 0,
    moved: 0,
    times: [],
    onlineNow: 0,
    overdueNow: 0,
    recidivism: 0,
  };
}

export interface FiguresInput {
  cases: Iterable<NoticeCase>;
  reappearances: Iterable<Reappearance>;
  window: FiguresWindow;
}

export interface FiguresResult {
  /** One row per hoster (ASN) with a case noticed at or before `asOf`, by ASN. */
  hosters: HosterFigures[];
  /** One row per (hoster, country), by ASN then country. */
  hosterCountries: HosterFigures[];
}

const asnOf = (notice: NoticeCase) => notice.asn ?? 0;
const countryKey = (asn: number, country: string | null) => `${asn}|${country ?? ''}`;

function renoticesBy(notice: NoticeCase, asOf: number): number {
  let count = 0;
  for (const at of Object.values(notice.renotices)) if (at <= asOf) count++;
  return count;
}

/** Folds one counted case into a unit. */
function addCase(unit: Unit, notice: NoticeCase, state: CaseState, window: FiguresWindow): void {
  const noticeAt = notice.noticeAt as number;
  // The organisation of the latest notice (ties: the greater name), whatever the fold order.
  if (
    noticeAt > unit.organisationAt ||
    (noticeAt === unit.organisationAt && (notice.asOrganisation ?? '') > (unit.asOrganisation ?? ''))
  ) {
    unit.asOrganisation = notice.asOrganisation;
    unit.organisationAt = noticeAt;
  }
  unit.countries.add(notice.country);
  if (state.online) {
    unit.onlineNow++;
    if (window.asOf - noticeAt > norm24hMs) unit.overdueNow++;
  }
  if (noticeAt < window.from || noticeAt >= window.to) return;
  unit.notices++;
  unit.renotices += renoticesBy(notice, window.asOf);
  if (state.removed) {
    unit.removed++;
    unit.times.push(state.timeToRemovalMs);
  } else if (state.moved) unit.moved++;
}

function figuresOf(unit: Unit, countryOnline: Map<string, number>, perCountry: boolean): HosterFigures {
  const times = Float64Array.from(unit.times).sort();
  const n = unit.notices;
  let within24 = 0;
  let within12 = 0;
  for (const time of times) {
    if (time <= norm24hMs) within24++;
    if (time <= norm12hMs) within12++;
  }
  const countries = [...unit.countries].filter((country) => country !== null).sort();
  const country = perCountry
    ? unit.country
    : unit.countries.size === 1 && countries.length === 1
      ? (countries[0] as string)
      : null;
  return {
    asn: unit.asn,
    asOrganisation: unit.asOrganisation,
    country,
    countries,
    notices: n,
    renotices: unit.renotices,
    removed: unit.removed,
    moved: unit.moved,
    stillOnline: n - unit.removed - unit.moved,
    medianTimeToRemovalMs: nearestRank(times, n, 1, 2),
    p90TimeToRemovalMs: nearestRank(times, n, 9, 10),
    removedWithin24hShare: share(within24, n),
    removedWithin12hShare: share(within12, n),
    onlineNow: unit.onlineNow,
    countryOnlineShare: country === null ? null : share(unit.onlineNow, countryOnline.get(country) ?? 0),
    recidivism: unit.recidivism,
    overdueNow: unit.overdueNow,
  };
}

function unitOf<K>(units: Map<K, Unit>, key: K, create: () => Unit): Unit {
  const known = units.get(key);
  if (known !== undefined) return known;
  const unit = create();
  units.set(key, unit);
  return unit;
}

/**
 * Every figure of docs/hoster-figures.md, per hoster and per (hoster, country), for a period as of
 * a time. One pass over the cases and one over the reappearances, then a sort of each unit's
 * removal times: exact, whatever order the cases come in.
 */
export function computeFigures(input: FiguresInput): FiguresResult {
  const { window } = input;
  const hosters = new Map<number, Unit>();
  const hosterCountries = new Map<string, Unit>();
  // Earliest removal per (unit, sha256): a reappearance after it is recidivism.
  const firstRemoval = new Map<string, number>();
  const noteRemoval = (key: string, at: number) => {
    const known = firstRemoval.get(key);
    if (known === undefined || at < known) firstRemoval.set(key, at);
  };
  for (const notice of input.cases) {
    const state = caseState(notice, window.asOf);
    if (!state.counted) continue;
    const asn = asnOf(notice);
    const inCountry = countryKey(asn, notice.country);
    const hoster = unitOf(hosters, asn, () => newUnit(asn, null));
    const local = unitOf(hosterCountries, inCountry, () => newUnit(asn, notice.country));
    addCase(hoster, notice, state, window);
    addCase(local, notice, state, window);
    if (state.removed && notice.sha256 !== null) {
      const removedAt = (notice.noticeAt as number) + state.timeToRemovalMs;
      noteRemoval(`${asn}|${notice.sha256}`, removedAt);
      noteRemoval(`${inCountry}|${notice.sha256}`, removedAt);
    }
  }
  for (const event of input.reappearances) {
    if (event.sha256 === null || event.at > window.asOf || event.at < window.from || event.at >= window.to) {
      continue;
    }
    const hosterRemoval = firstRemoval.get(`${event.asn}|${event.sha256}`);
    if (hosterRemoval !== undefined && hosterRemoval < event.at) {
      (hosters.get(event.asn) as Unit).recidivism++;
    }
    const inCountry = countryKey(event.asn, event.country);
    const localRemoval = firstRemoval.get(`${inCountry}|${event.sha256}`);
    if (localRemoval !== undefined && localRemoval < event.at) {
      (hosterCountries.get(inCountry) as Unit).recidivism++;
    }
  }
  const countryOnline = new Map<string, number>();
  for (const unit of hosterCountries.values()) {
    if (unit.country !== null) {
      countryOnline.set(unit.country, (countryOnline.get(unit.country) ?? 0) + unit.onlineNow);
    }
  }
  const byAsn = (a: HosterFigures, b: HosterFigures) =>
    a.asn - b.asn || (a.country ?? '').localeCompare(b.country ?? '');
  return {
    hosters: [...hosters.values()].map((unit) => figuresOf(unit, countryOnline, false)).sort(byAsn),
    hosterCountries: [...hosterCountries.values()]
      .map((unit) => figuresOf(unit, countryOnline, true))
      .sort(byAsn),
  };
}

/** Which cases an overdue list covers: one hoster, optionally within one country. */
export interface OverdueFilter {
  asn?: number;
  country?: string;
}

/**
 * The re-notice queue: cases online at `asOf` whose first notice is more than 24 h before it,
 * of any period, oldest notice first.
 */
export function overdueItems(
  cases: Iterable<NoticeCase>,
  asOf: number,
  filter: OverdueFilter = {},
): OverdueItem[] {
  const items: OverdueItem[] = [];
  for (const notice of cases) {
    const asn = asnOf(notice);
    if (filter.asn !== undefined && asn !== filter.asn) continue;
    if (filter.country !== undefined && notice.country !== filter.country) continue;
    const state = caseState(notice, asOf);
    const noticeAt = notice.noticeAt as number;
    if (!state.online || asOf - noticeAt <= norm24hMs) continue;
    items.push({
      partnerId: notice.partnerId,
      noticeId: notice.noticeId,
      noticeEventId: notice.noticeEventId as string,
      url: notice.url,
      sha256: notice.sha256,
      itemId: notice.itemId,
      asn,
      country: notice.country,
      noticeAt,
      renotices: Object.entries(notice.renotices)
        .filter(([, at]) => at <= asOf)
        .map(([eventId, at]) => ({ eventId, at }))
        .sort((a, b) => a.at - b.at || a.eventId.localeCompare(b.eventId)),
      onlineForMs: asOf - noticeAt,
    });
  }
  return items.sort(
    (a, b) =>
      a.noticeAt - b.noticeAt ||
      a.partnerId.localeCompare(b.partnerId) ||
      a.noticeId.localeCompare(b.noticeId),
  );
}
