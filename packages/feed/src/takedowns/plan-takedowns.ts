// The takedown month's plan (pure, seeded): hotlines receive reports of URLs on the feed's hosting
// ranges, send notices, re-notice overdue cases; hosters remove at skewed delays, or never, or the
// content moves (a new case at the new URL's hoster) or comes back after removal (a new case).
// Every time is chosen here; the events and the ground truth are both read off this plan.
import { TriageError } from '@triage/errors';
import { addressInRange } from '../ip-ranges.ts';
import { createRandom, deriveSeed, type Random, randomHex } from '../random.ts';
import { type HostingRange, takedownRanges } from './hoster-profiles.ts';
import type { CaseOutcome, PlannedCase, PlannedHosting, TakedownPartner, TakedownPlan } from './types.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The hotlines that send takedown events by default. */
export const defaultTakedownPartners: readonly TakedownPartner[] = [
  {
    partnerId: 'hotline-nl',
    share: 0.7,
    noticePrefix: 'NL-N',
    offsetMinutes: 60,
    firstRenoticeMs: DAY,
    renoticeEveryMs: DAY,
  },
  {
    partnerId: 'hotline-de',
    share: 0.3,
    noticePrefix: 'DE-N',
    offsetMinutes: 0,
    firstRenoticeMs: 30 * HOUR,
    renoticeEveryMs: 3 * DAY,
  },
];

/** Known content a hotline may find online: a sha256 (lower-case hex) and the feed item it is, if any. */
export interface TakedownContent {
  readonly sha256: string;
  readonly itemId: string | null;
}

export interface PlanTakedownsOptions {
  /** Any integer 0..2^32-1: the same seed and options plan the same month. */
  readonly seed: number;
  /** Start of the period, epoch ms (the feed uses a UTC month's first instant). */
  readonly from: number;
  /** Calendar months in the period. Default 1. */
  readonly months?: number;
  /** Cases opened by a new report; moves and reappearances add their own cases on top. */
  readonly notices: number;
  /** Default `defaultTakedownPartners`. */
  readonly partners?: readonly TakedownPartner[];
  /** Hashes noticed (content that never reappears); invented ones when empty. */
  readonly content?: readonly TakedownContent[];
}

/** Most cases one piece of content goes through (moves and reappearances) in a period. */
const MAX_CASES_PER_CONTENT = 4;
/** Most re-notices on one case. */
const MAX_RENOTICES = 12;

const siteWords = ['img', 'files', 'share', 'pics', 'cdn', 'upload', 'media', 'host', 'board', 'drop'];
const pathWords = ['i', 'f', 'view', 'p', 'file', 'g'];

function addUtcMonths(ms: number, months: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

function integerOption(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `takedowns: ${option} must be an integer from ${min} to ${max}, got ${value}`,
      {
        details: { option },
      },
    );
  }
  return value;
}

interface Site {
  readonly range: HostingRange;
  readonly hosting: PlannedHosting;
}

/** A case before its content's sha256 is chosen (after the whole chain is known). */
type DraftCase = Omit<PlannedCase, 'sha256' | 'itemId' | 'noticeId'>;

interface Opening {
  readonly url: string;
  readonly site: Site;
  readonly reportAt: number;
  readonly reappearedAt: number | null;
  readonly noticeAt: number;
}

class TakedownPlanner {
  readonly #random: Random;
  readonly #from: number;
  readonly #to: number;
  readonly #ipOffset: number;
  readonly #sites = new Map<string, Site[]>();
  readonly #rangeWeight: number;
  #urls = 0;

  constructor(options: { random: Random; from: number; to: number; ipOffset: number }) {
    this.#random = options.random;
    this.#from = options.from;
    this.#to = options.to;
    this.#ipOffset = options.ipOffset;
    this.#rangeWeight = takedownRanges.reduce((sum, range) => sum + range.weight, 0);
  }

  /** Whole seconds: hotlines record times to the second. */
  #seconds(ms: number): number {
    return Math.round(ms / 1000) * 1000;
  }

  /** A log-normal delay with the given median, at least `minMs`. */
  #logNormal(medianMs: number, sigma: number, minMs: number): number {
    const r = this.#random;
    const normal = Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
    return Math.max(minMs, this.#seconds(medianMs * Math.exp(sigma * normal)));
  }

  /** From a report to the hotline's notice: minutes to days, median 90 minutes. */
  #processing(): number {
    return Math.min(3 * DAY, this.#logNormal(90 * MINUTE, 0.8, 5 * MINUTE));
  }

  #pickRange(exclude: ReadonlySet<number> = new Set()): HostingRange {
    const ranges = takedownRanges.filter((range) => !exclude.has(range.asn));
    const total =
      exclude.size === 0 ? this.#rangeWeight : ranges.reduce((sum, range) => sum + range.weight, 0);
    let draw = this.#random.next() * total;
    for (const range of ranges) {
      draw -= range.weight;
      if (draw < 0) return range;
    }
    return ranges[ranges.length - 1]!;
  }

  /** A site on the range: an existing one (shared hosting) or a new address there. */
  #site(range: HostingRange): Site {
    const r = this.#random;
    const sites = this.#sites.get(range.cidr) ?? [];
    this.#sites.set(range.cidr, sites);
    if (sites.length > 0 && r.chance(0.6)) return r.pick(sites);
    const resold = r.chance(0.25);
    const brand = range.behaviour.brand;
    const reseller = `reseller-${randomHex(r, 4)}`;
    const site: Site = {
      range,
      hosting: {
        asn: range.asn,
        country: range.country,
        cidr: range.cidr,
        provider: range.provider,
        ip: addressInRange(range.cidr, this.#ipOffset + sites.length),
        host: `${r.pick(siteWords)}-${randomHex(r, 6)}.example`,
        hosterHint: resold ? `${reseller} (on ${brand})` : brand,
        hosterContact: `abuse@${resold ? reseller : brand}.example.invalid`,
      },
    };
    sites.push(site);
    return site;
  }

  #url(site: Site): string {
    this.#urls += 1;
    return `https://${site.hosting.host}/${this.#random.pick(pathWords)}/${this.#urls.toString(36)}${randomHex(this.#random, 4)}`;
  }

  /** When the hoster removes it, or the content moves, or neither within the period. */
  #fate(opening: Opening): CaseOutcome {
    const r = this.#random;
    const { behaviour } = opening.site.range;
    const draw = r.next();
    if (draw < behaviour.never) return { kind: 'online', why: 'never', plannedAt: null };
    if (draw < behaviour.never + behaviour.moved) {
      const at = opening.noticeAt + this.#logNormal(20 * HOUR, 1, 10 * MINUTE);
      if (at >= this.#to) return { kind: 'online', why: 'censored', plannedAt: at };
      const site = this.#site(this.#pickRange());
      return { kind: 'moved', at, newUrl: this.#url(site), newHosting: site.hosting };
    }
    const at = opening.noticeAt + this.#logNormal(behaviour.medianMs, behaviour.sigma, 5 * MINUTE);
    if (at >= this.#to) return { kind: 'online', why: 'censored', plannedAt: at };
    return { kind: 'removed', at };
  }

  /** Re-notices while the case is open: the first after the partner's wait, then at its rhythm. */
  #renotices(partner: TakedownPartner, noticeAt: number, closeAt: number): number[] {
    const times: number[] = [];
    const end = Math.min(closeAt, this.#to);
    let at = noticeAt + partner.firstRenoticeMs + this.#random.int(0, 3600) * 1000;
    while (at < end && times.length < MAX_RENOTICES) {
      times.push(at);
      at += partner.renoticeEveryMs + this.#random.int(0, 3600) * 1000;
    }
    return times;
  }

  /** The case after a removal, when the content comes back: on the same network mostly. */
  #reappearance(previous: Opening, removedAt: number, removedAsns: ReadonlySet<number>): Opening | null {
    const r = this.#random;
    const reportAt = removedAt + this.#logNormal(5 * DAY, 0.8, HOUR);
    const reappearedAt = reportAt + r.int(10, 60) * MINUTE;
    const noticeAt = reappearedAt + this.#processing();
    if (noticeAt >= this.#to) return null;
    // Elsewhere only on a network where this content was never removed: recidivism stays
    // unambiguous (not counted there, whether "at this hoster" means the AS or the AS in a country).
    if (r.chance(0.2)) {
      const site = this.#site(this.#pickRange(removedAsns));
      return { url: this.#url(site), site, reportAt, reappearedAt, noticeAt };
    }
    if (r.chance(0.5)) return { ...previous, reportAt, reappearedAt, noticeAt };
    const site = this.#site(previous.site.range);
    return { url: this.#url(site), site, reportAt, reappearedAt, noticeAt };
  }

  /** One piece of content's cases, from its first report; empty when its notice falls after the period. */
  chain(partner: TakedownPartner): DraftCase[] {
    const r = this.#random;
    const reportAt = this.#from + r.int(0, (this.#to - this.#from) / 1000 - 1) * 1000;
    const noticeAt = reportAt + this.#processing();
    if (noticeAt >= this.#to) return [];
    const site = this.#site(this.#pickRange());
    let opening: Opening | null = { url: this.#url(site), site, reportAt, reappearedAt: null, noticeAt };
    const cases: DraftCase[] = [];
    const removedAsns = new Set<number>();
    while (opening && cases.length < MAX_CASES_PER_CONTENT) {
      const outcome = this.#fate(opening);
      const closeAt = outcome.kind === 'online' ? this.#to : outcome.at;
      cases.push({
        partnerId: partner.partnerId,
        url: opening.url,
        hosting: opening.site.hosting,
        reportAt: opening.reportAt,
        reappearedAt: opening.reappearedAt,
        noticeAt: opening.noticeAt,
        renoticeAts: this.#renotices(partner, opening.noticeAt, closeAt),
        outcome,
      });
      opening = this.#next(opening, outcome, removedAsns);
    }
    return cases;
  }

  #next(opening: Opening, outcome: CaseOutcome, removedAsns: Set<number>): Opening | null {
    if (outcome.kind === 'removed') {
      removedAsns.add(opening.site.range.asn);
      if (!this.#random.chance(opening.site.range.behaviour.reappears)) return null;
      return this.#reappearance(opening, outcome.at, removedAsns);
    }
    if (outcome.kind === 'moved') {
      // The hotline finds the content at its new URL and notices that URL's hoster.
      const reportAt = outcome.at + this.#logNormal(6 * HOUR, 1, 10 * MINUTE);
      const noticeAt = reportAt + this.#processing();
      if (noticeAt >= this.#to) return null;
      const range = takedownRanges.find((entry) => entry.cidr === outcome.newHosting.cidr)!;
      return {
        url: outcome.newUrl,
        site: { range, hosting: outcome.newHosting },
        reportAt,
        reappearedAt: null,
        noticeAt,
      };
    }
    return null;
  }

  pickPartner(partners: readonly TakedownPartner[], total: number): TakedownPartner {
    let draw = this.#random.next() * total;
    for (const partner of partners) {
      draw -= partner.share;
      if (draw < 0) return partner;
    }
    return partners[partners.length - 1]!;
  }
}

/** Plans `notices` first notices (and the cases that follow them) over the period. */
export function planTakedowns(options: PlanTakedownsOptions): TakedownPlan {
  const seed = integerOption('seed', options.seed, 0, 0xffff_ffff);
  const months = integerOption('months', options.months ?? 1, 1, 24);
  const notices = integerOption('notices', options.notices, 0, 1_000_000);
  const partners = options.partners ?? defaultTakedownPartners;
  if (partners.length === 0) throw new TriageError('TRIAGE_CONFIG_INVALID', 'takedowns: no partner');
  const content = options.content ?? [];
  const from = options.from;
  const to = addUtcMonths(from, months);
  const random = createRandom(deriveSeed(seed, 'takedowns', from, months));
  const planner = new TakedownPlanner({ random, from, to, ipOffset: seed % 4096 });
  // Ids carry a tag of what was planned, so two different plans sent to one intake never collide.
  const tag = deriveSeed(
    seed,
    'takedown-ids',
    from,
    months,
    notices,
    content.length,
    content[0]?.sha256 ?? '',
  )
    .toString(36)
    .padStart(7, '0');
  const serials = new Map<string, number>();
  const shareTotal = partners.reduce((sum, partner) => sum + partner.share, 0);
  const cases: PlannedCase[] = [];
  for (let opened = 0; opened < notices; ) {
    const partner = planner.pickPartner(partners, shareTotal);
    const chain = planner.chain(partner);
    if (chain.length === 0) continue;
    opened += 1;
    // Content that comes back gets a hash of its own, so its recidivism depends on its own cases only.
    const reappears = chain.some((entry) => entry.reappearedAt !== null);
    const known = !reappears && content.length > 0 ? random.pick(content) : null;
    const sha256 = known?.sha256 ?? randomHex(random, 64);
    for (const draft of chain) {
      const serial = (serials.get(partner.partnerId) ?? 0) + 1;
      serials.set(partner.partnerId, serial);
      cases.push({
        ...draft,
        noticeId: `${partner.noticePrefix}-${tag}-${String(serial).padStart(6, '0')}`,
        sha256,
        itemId: known?.itemId ?? null,
      });
    }
  }
  return { seed, from, to, asOf: to, idTag: tag, partners, cases };
}
