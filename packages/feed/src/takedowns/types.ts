// The takedown month's plan (what the generator chose: delays and fates) and the event shape it
// renders, which is the request shape of intake's `POST /v1/takedowns` (docs/hoster-figures.md).
import type { FeedCountry } from '../ip-ranges.ts';

export type TakedownEventType =
  | 'report_received'
  | 'notice_sent'
  | 'renotice_sent'
  | 'removed_confirmed'
  | 'content_moved'
  | 'reappeared';

/** One event as a hotline sends it in `{ "events": [...] }`; fields a type does not use are left out. */
export interface TakedownEventRequest {
  /** Unique per partner; the same event sent again is an idempotent replay. */
  readonly eventId: string;
  readonly type: TakedownEventType;
  /** ISO 8601 with an offset (`Z` or the hotline's `+01:00`). */
  readonly at: string;
  readonly url?: string;
  readonly ip?: string;
  /** Lower-case hex. */
  readonly sha256?: string;
  readonly itemId?: string;
  readonly noticeId?: string;
  /** A role address on an `.example.invalid` domain, never a person. */
  readonly hosterContact?: string;
  readonly hosterHint?: string;
  readonly newUrl?: string;
  readonly newIp?: string;
}

/** Where a URL is hosted: one address of a feed hosting range, so the enricher attributes it. */
export interface PlannedHosting {
  readonly asn: number;
  readonly country: FeedCountry;
  readonly cidr: string;
  /** The range's provider (hostingRanges), the AS's operator. */
  readonly provider: string;
  readonly ip: string;
  /** The site's host name (reserved `.example` names). */
  readonly host: string;
  /** The hotline's name for the hoster: the provider's brand, or a reseller on its network. */
  readonly hosterHint: string;
  /** The abuse role address the notice goes to. */
  readonly hosterContact: string;
}

/** How a notice case ends within the period. */
export type CaseOutcome =
  | { readonly kind: 'removed'; readonly at: number }
  | {
      readonly kind: 'moved';
      readonly at: number;
      readonly newUrl: string;
      readonly newHosting: PlannedHosting;
    }
  /**
   * Online at the period's end: the hoster never acts on it (`never`), or the removal or move it
   * drew (`plannedAt`) falls after the period (`censored`).
   */
  | { readonly kind: 'online'; readonly why: 'never' | 'censored'; readonly plannedAt: number | null };

/** One notice case `(partnerId, noticeId)` with every time the generator chose for it. */
export interface PlannedCase {
  readonly partnerId: string;
  readonly noticeId: string;
  readonly url: string;
  readonly hosting: PlannedHosting;
  readonly sha256: string;
  readonly itemId: string | null;
  /** report_received on `url`, before the notice. */
  readonly reportAt: number;
  /** Set when the case follows a `reappeared` event (on `url`, at `hosting.ip`). */
  readonly reappearedAt: number | null;
  readonly noticeAt: number;
  readonly renoticeAts: readonly number[];
  readonly outcome: CaseOutcome;
}

export interface TakedownPartner {
  readonly partnerId: string;
  /** Its share of the first reports (the shares of all partners are normalised). */
  readonly share: number;
  /** Prefix of its notice ids (`NL-N`). */
  readonly noticePrefix: string;
  /** The UTC offset its times are written with, in minutes (0 writes `Z`). */
  readonly offsetMinutes: number;
  /** First re-notice this long after the notice, while the case is open. */
  readonly firstRenoticeMs: number;
  /** Then one every this long. */
  readonly renoticeEveryMs: number;
}

export interface TakedownPlan {
  readonly seed: number;
  /** The period `[from, to)`, epoch ms. */
  readonly from: number;
  readonly to: number;
  /** The figures' `asOf`: no event of the plan is after it. */
  readonly asOf: number;
  /** In every notice and event id, so two different plans sent to one intake never collide. */
  readonly idTag: string;
  readonly partners: readonly TakedownPartner[];
  /** In the order they were planned (a moved or reappeared case after the case it follows). */
  readonly cases: readonly PlannedCase[];
}
