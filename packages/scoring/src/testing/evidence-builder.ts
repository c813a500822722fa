// Hand-built evidence for unit tests: a neutral report (no factor applies) that each test adds
// exactly the facts it is about to. Everything is invented; addresses are documentation ranges.
import type { EnrichedItem, HashMatch, NetworkEnrichment, PersonReported, Report } from '@triage/schemas';
import defaultRulesFile from '../../rules/default.json' with { type: 'json' };
import type { ReportEvidence } from '../evidence.ts';
import { parseRules, type ScoringRules } from '../rules.ts';

export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 10, 28, 12);
export const REPORT_ID = 'tipline-nl:100000001';

/** The default rules as shipped (parsed from the same JSON, without reading the file). */
export const defaultRules: ScoringRules = rulesWith({});

/** The default rules with some top-level keys replaced, e.g. `{ weights: {...} }`. */
export function rulesWith(overrides: Record<string, unknown>): ScoringRules {
  return parseRules(Buffer.from(JSON.stringify({ ...defaultRulesFile, ...overrides })), 'test rules');
}

export function weightsWith(weights: Record<string, unknown>): ScoringRules {
  return rulesWith({ weights: { ...defaultRulesFile.weights, ...weights } });
}

export function report(overrides: Partial<Report> = {}): Report {
  return {
    reportId: REPORT_ID,
    partnerId: 'tipline-nl',
    partnerReportId: '100000001',
    version: 1,
    bundleId: 'bundle-1',
    receivedAt: NOW,
    incidentType: 'UNKNOWN',
    incidentTypeText: null,
    incidentDateTime: null,
    incidentDateTimeDescription: null,
    platform: null,
    escalateToHighPriority: null,
    reportAnnotations: [],
    batched: false,
    batchedReason: null,
    ncmecPriority: null,
    ncmecReferralLabel: null,
    reporter: { companyName: 'Example Social', espService: 'Example Chat' },
    personsReported: [],
    victims: [],
    intendedRecipients: [],
    internetDetails: [],
    additionalInfo: null,
    itemCount: 0,
    fileIds: [],
    driftNotes: [],
    ...overrides,
  };
}

export function person(overrides: Partial<PersonReported> = {}): PersonReported {
  return {
    firstName: null,
    lastName: null,
    age: null,
    emails: [],
    phones: [],
    screenName: null,
    displayNames: [],
    espIdentifier: null,
    espService: null,
    profileUrls: [],
    ipCaptureEvents: [],
    deviceIds: [],
    priorCTReports: [],
    estimatedLocation: null,
    compromisedAccount: null,
    groupIdentifier: null,
    additionalInfo: null,
    ...overrides,
  };
}

/** A victim or intended recipient: an age and nothing that identifies anyone. */
export function party(overrides: Partial<Report['victims'][number]> = {}): Report['victims'][number] {
  return {
    age: 13,
    approximateAge: null,
    screenName: null,
    espIdentifier: null,
    espService: null,
    emails: [],
    profileUrls: [],
    estimatedLocation: null,
    ...overrides,
  };
}

export function location(countryCode: string): PersonReported['estimatedLocation'] {
  return { countryCode, region: null, city: null, verified: null, estimatedAt: null };
}

export function ipEvent(
  ipAddress: string,
  overrides: Partial<NonNullable<EnrichedItem['item']['uploadIpEvent']>> = {},
): NonNullable<EnrichedItem['item']['uploadIpEvent']> {
  return { ipAddress, eventName: 'Login', dateTime: null, possibleProxy: false, port: null, ...overrides };
}

const sha = (index: number) => index.toString(16).padStart(64, 'a');

/** A new image file: no list match, first seen in this report, alone in its cluster. */
export function file(index: number, overrides: Partial<EnrichedItem['item']> = {}): EnrichedItem {
  const sha256 = overrides.sha256 ?? sha(index);
  return {
    item: {
      itemId: `${REPORT_ID}/f-${index}`,
      reportId: REPORT_ID,
      reportVersion: 1,
      partnerId: 'tipline-nl',
      bundleId: 'bundle-1',
      receivedAt: NOW,
      kind: 'file',
      itemIndex: index,
      itemCount: index + 1,
      fileId: `f-${index}`,
      url: null,
      sha256,
      size: 1000,
      mediaType: 'image/png',
      fileName: `image_${index}.png`,
      originalFileName: null,
      locationOfFile: null,
      uploadedToEspAt: null,
      fileViewedByEsp: true,
      exifViewedByEsp: null,
      publiclyAvailable: null,
      fileRelevance: 'REPORTED',
      fileAnnotations: [],
      industryClassification: null,
      partnerHashes: [],
      partnerHashChecks: [],
      uploadIpEvent: null,
      details: [],
      additionalInfo: null,
      ...overrides,
    },
    hashes: null,
    matches: [],
    dedupe: {
      firstSeenReportId: REPORT_ID,
      firstSeenAt: NOW,
      reportCount: 1,
      nearDuplicateClusterId: sha256,
      nearestSha256: null,
      nearestDistance: null,
    },
    enrichment: [],
  };
}

export function match(category: number | null, hashType: HashMatch['hashType'] = 'MD5'): HashMatch {
  return {
    listName: 'police-demo',
    listVersion: '1',
    hashType,
    category,
    categoryLabel: null,
    distance: hashType === 'PDQ' ? 12 : 0,
    variant: hashType === 'PDQ' ? 'original' : null,
  };
}

/** A file on a known-hash list with the given category. */
export function knownFile(index: number, category: number | null = 1): EnrichedItem {
  return { ...file(index), matches: [match(category)] };
}

/** A file whose exact bytes another report carried first. */
export function seenFile(index: number): EnrichedItem {
  const base = file(index);
  return {
    ...base,
    dedupe: { ...base.dedupe!, firstSeenReportId: 'platform-social:500000009', reportCount: 2 },
  };
}

/** A file near (PDQ) content of another report. */
export function nearDuplicateFile(index: number): EnrichedItem {
  const base = file(index);
  const other = 'c'.repeat(64);
  return {
    ...base,
    dedupe: { ...base.dedupe!, nearDuplicateClusterId: other, nearestSha256: other, nearestDistance: 14 },
  };
}

export function textFile(index: number): EnrichedItem {
  return file(index, { mediaType: 'text/plain', fileName: 'chat-excerpt.txt' });
}

export function ipEnrichment(
  origin: string,
  ip: string,
  countryCode: string | null,
  overrides: Partial<NetworkEnrichment> = {},
): NetworkEnrichment {
  return {
    subjectType: 'ip',
    origin,
    ip,
    host: null,
    registrableDomain: null,
    countryCode,
    city: null,
    asn: 64_500,
    asOrganization: 'Example Hosting',
    inJurisdiction: countryCode === null ? null : countryCode === 'NL',
    possibleProxy: null,
    sources: [],
    error: null,
    ...overrides,
  };
}

export function evidence(overrides: Partial<ReportEvidence> = {}): ReportEvidence {
  return { report: report(), items: [], reportEnrichment: [], links: [], now: NOW, ...overrides };
}
