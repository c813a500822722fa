// The fields of the API's answers the console reads (docs/openapi/triage.json has the full shapes;
// documents pass through whole, so everything here is optional where the API may leave it out).
import type { ScoreReason } from './reason-bars.ts';

export interface Bucket {
  value: string;
  count: number;
}

interface ItemSummary {
  itemId: string;
  kind?: string;
  sha256?: string | null;
  url?: string | null;
  mediaType?: string | null;
  novelty?: string;
  categories?: number[];
  matchedLists?: string[];
  fileViewedByEsp?: boolean | null;
}

interface TriageState {
  status?: string | null;
  assignee?: string | null;
  disposition?: string | null;
  tierOverride?: string | null;
  legalAuthority?: string | null;
}

export interface CaseSummary {
  reportId: string;
  version?: number;
  score?: number;
  tier?: string;
  queueTier?: string | null;
  provisional?: boolean;
  itemsExpected?: number;
  itemsSeen?: number;
  updatedAt?: number;
  report?: {
    partnerId?: string;
    partnerReportId?: string;
    receivedAt?: number;
    incidentType?: string;
    incidentTypeText?: string | null;
    incidentDateTime?: number | null;
    escalateToHighPriority?: string | null;
    reportAnnotations?: string[];
    reporterName?: string | null;
    personsReportedCount?: number;
    victimCount?: number;
    intendedRecipientCount?: number;
    estimatedCountryCodes?: string[];
    ncmecPriority?: number | null;
    batched?: boolean;
  };
  enrichment?: {
    countryCodes?: string[];
    inJurisdiction?: boolean | null;
    possibleProxy?: boolean;
    asOrganizations?: string[];
    hosts?: string[];
  };
  items?: ItemSummary[];
  reasons?: ScoreReason[];
  linkedReports?: { reportId: string; identifierType: string }[];
  ruleVersion?: string;
  triage?: TriageState;
}

export interface CaseQueue {
  items: CaseSummary[];
  total: number;
  nextCursor: string | null;
  facets: Record<string, Bucket[]>;
}

interface HashMatch {
  listName: string;
  listVersion?: string;
  hashType?: string;
  category?: number | null;
  categoryLabel?: string | null;
  distance?: number;
}

interface NetworkFact {
  subjectType?: string;
  origin?: string;
  ip?: string | null;
  host?: string | null;
  registrableDomain?: string | null;
  countryCode?: string | null;
  city?: string | null;
  asn?: number | null;
  asOrganization?: string | null;
  inJurisdiction?: boolean | null;
  possibleProxy?: boolean | null;
  error?: string | null;
}

export interface CaseItem extends ItemSummary {
  fileName?: string | null;
  md5?: string | null;
  sha1?: string | null;
  pdq?: string | null;
  matches?: HashMatch[];
  dedupe?: {
    firstSeenReportId?: string;
    firstSeenAt?: number;
    reportCount?: number;
    nearDuplicateClusterId?: string | null;
    nearestSha256?: string | null;
    nearestDistance?: number | null;
  } | null;
  enrichment?: NetworkFact[];
  file?: {
    clusterId?: string | null;
    nearestSha256?: string | null;
    nearestDistance?: number | null;
    firstSeenAt?: number | null;
    firstSeenReportId?: string | null;
    sightings?: number;
  } | null;
}

interface CaseAction {
  actionId: string;
  type: string;
  actor: string;
  role?: string;
  at: number;
  payload?: Record<string, string>;
}

export interface CaseView {
  case: CaseSummary;
  items: CaseItem[];
  actions: CaseAction[];
  tierOverride?: { tier: string; reason: string | null; actor: string; role: string; at: number } | null;
}
