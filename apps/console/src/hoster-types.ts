// The hoster routes' answers as the console reads them (services/triage-api hoster-schemas.ts has
// the full shapes; docs/hoster-figures.md defines every figure). Durations are milliseconds,
// shares 0..1 or null when their denominator is 0, times ISO 8601.

interface PeriodFigures {
  asn: number;
  asOrganisation: string | null;
  country: string | null;
  notices: number;
  renotices: number;
  removed: number;
  moved: number;
  stillOnline: number;
  medianTimeToRemovalMs: number | null;
  p90TimeToRemovalMs: number | null;
  removedWithin24hShare: number | null;
  removedWithin12hShare: number | null;
  recidivism: number;
}

export interface HosterFigures extends PeriodFigures {
  onlineNow: number;
  countryOnlineShare: number | null;
  overdueNow: number;
  countries: string[];
}

interface Period {
  from: string;
  to: string;
  asOf: string;
}

export interface HosterRanking {
  period: Period;
  country: string | null;
  hosters: HosterFigures[];
}

export interface TrendMonth extends PeriodFigures {
  /** `YYYY-MM` (UTC). */
  month: string;
  from: string;
  to: string;
}

export interface HistogramBin {
  fromMs: number;
  /** Exclusive; null for the open last bin. */
  toMs: number | null;
  removed: number;
}

interface SurvivalPoint {
  atMs: number;
  notRemovedShare: number | null;
}

export interface RemovalDistribution {
  notices: number;
  bins: HistogramBin[];
  notRemoved: number;
  survival: SurvivalPoint[];
  notRemovedAt12hShare: number | null;
  notRemovedAt24hShare: number | null;
}

export interface OverdueItem {
  partnerId: string;
  noticeId: string;
  noticeEventId: string;
  url: string | null;
  sha256: string | null;
  itemId: string | null;
  country: string | null;
  noticeAt: string;
  renotices: { eventId: string; at: string }[];
  onlineForMs: number;
}

export interface HosterPage {
  period: Period;
  hoster: HosterFigures;
  countries: HosterFigures[];
  trend: TrendMonth[];
  distribution: RemovalDistribution;
  overdue: OverdueItem[];
}
