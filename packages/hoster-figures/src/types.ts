/** A hoster: the autonomous system of a notice's IP (AS0 when the databases do not know it). */
export interface HosterId {
  asn: number;
  /** The AS organisation; often a datacentre that resells, so a figure is per network, not per brand. */
  asOrganisation: string | null;
}

/**
 * One notice case, `(partnerId, noticeId)`, as the hoster monitor folds it from takedown events:
 * its attribution from the notice's IP, and when it was re-noticed, removed or moved.
 */
export interface NoticeCase {
  partnerId: string;
  noticeId: string;
  /** The notice_sent event (null until it is folded: then the case is not counted). */
  noticeEventId: string | null;
  noticeAt: number | null;
  url: string | null;
  sha256: string | null;
  itemId: string | null;
  /** AS of the notice's IP; 0 when the databases do not know it. */
  asn: number | null;
  asOrganisation: string | null;
  /** ISO 3166-1 alpha-2 of the notice's IP; null when unknown. */
  country: string | null;
  /** Each renotice_sent event's time, by event id (a replayed event is counted once). */
  renotices: Record<string, number>;
  removedEventId: string | null;
  removedAt: number | null;
  movedEventId: string | null;
  movedAt: number | null;
}

/** A `reappeared` event, attributed by its own IP. */
export interface Reappearance {
  partnerId: string;
  eventId: string;
  at: number;
  sha256: string | null;
  url: string;
  asn: number;
  asOrganisation: string | null;
  country: string | null;
}

/** A period `[from, to)` (epoch ms) and the time the figures are as of. */
export interface FiguresWindow {
  from: number;
  to: number;
  /** Events after it do not exist yet. */
  asOf: number;
}

/** Every figure of docs/hoster-figures.md for one hoster, or one hoster within one country. */
export interface HosterFigures {
  asn: number;
  asOrganisation: string | null;
  /** The country of a per-(hoster, country) row; for a hoster row, its only country, or null when it has several or none. */
  country: string | null;
  /** The countries the hoster's cases geolocate to (a hoster row); the row's own country otherwise. */
  countries: string[];
  notices: number;
  renotices: number;
  removed: number;
  moved: number;
  stillOnline: number;
  medianTimeToRemovalMs: number | null;
  p90TimeToRemovalMs: number | null;
  removedWithin24hShare: number | null;
  removedWithin12hShare: number | null;
  onlineNow: number;
  countryOnlineShare: number | null;
  recidivism: number;
  overdueNow: number;
}

/** A case on the re-notice queue: online at `asOf`, first notice more than 24 h before. */
export interface OverdueItem {
  partnerId: string;
  noticeId: string;
  noticeEventId: string;
  url: string | null;
  sha256: string | null;
  itemId: string | null;
  asn: number;
  country: string | null;
  noticeAt: number;
  /** Re-notices at or before `asOf`, oldest first. */
  renotices: { eventId: string; at: number }[];
  /** `asOf − noticeAt`. */
  onlineForMs: number;
}
