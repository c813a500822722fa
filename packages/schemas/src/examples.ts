/**
 * One realistic, entirely invented example of every record (newest version), used by the unit
 * tests and by `schemas:check` to prove each schema round-trips. Invented data only: `.invalid`
 * domains, documentation IP ranges (RFC 5737, RFC 3849), made-up names and hashes of made-up strings.
 * Typed against the generated types, so a schema change that breaks them fails `pnpm typecheck`.
 */
import { createHash } from 'node:crypto';
import type {
  AuditEvent,
  Bundle,
  BundleStatus,
  Case,
  DeadLetter,
  DeadLetterRedrive,
  EnrichedItem,
  HashedItem,
  IpCaptureEvent,
  Item,
  KnownHash,
  Media,
  MediaSighting,
  MediaSummary,
  RecordTypes,
  Report,
  ReportErasure,
  ReportFile,
  SuspectIdentifier,
  TakedownEvent,
  TriageAction,
} from './generated/types.ts';

const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');
const sha256 = hex('sha256', 'synthetic file one');
const pdq = `${'a5'.repeat(8)}${'3c'.repeat(8)}${'0f'.repeat(8)}${'e1'.repeat(8)}`;

const receivedAt = Date.UTC(2026, 2, 14, 9, 30, 0);
const incidentAt = Date.UTC(2026, 2, 12, 22, 5, 0);
const reportId = 'partner-a:CT-000123';
const bundleId = 'bndl-3f2a9c1e';

const uploadIpEvent: IpCaptureEvent = {
  ipAddress: '192.0.2.41',
  eventName: 'Upload',
  dateTime: Date.UTC(2026, 2, 12, 22, 1, 0),
  possibleProxy: false,
  port: 51234,
};

const report: Report = {
  reportId,
  partnerId: 'partner-a',
  partnerReportId: 'CT-000123',
  version: 2,
  bundleId,
  receivedAt,
  incidentType: 'ONLINE_ENTICEMENT',
  incidentTypeText: 'Online Enticement of Children for Sexual Acts',
  incidentDateTime: incidentAt,
  incidentDateTimeDescription: null,
  platform: 'Example Chat',
  escalateToHighPriority: 'User states they will meet the child this weekend.',
  reportAnnotations: ['sextortion', 'futureFlagNotYetKnown'],
  batched: false,
  batchedReason: null,
  ncmecPriority: 1,
  ncmecReferralLabel: 'actionable',
  reporter: { companyName: 'Example Social Ltd', espService: 'Example Chat' },
  personsReported: [
    {
      firstName: null,
      lastName: null,
      age: null,
      emails: ['suspect.one@example.invalid'],
      phones: [],
      screenName: 'night_owl_77',
      displayNames: ['Owl'],
      espIdentifier: 'u-884422',
      espService: 'Example Chat',
      profileUrls: ['https://social.example.invalid/u/night_owl_77'],
      ipCaptureEvents: [
        {
          ipAddress: '198.51.100.7',
          eventName: 'Login',
          dateTime: incidentAt,
          possibleProxy: null,
          port: null,
        },
        {
          ipAddress: '2001:db8::7',
          eventName: 'Registration',
          dateTime: null,
          possibleProxy: true,
          port: null,
        },
      ],
      deviceIds: [
        { idType: 'IDFA', idValue: '00000000-0000-4000-8000-000000000001', eventName: null, dateTime: null },
      ],
      priorCTReports: ['CT-000050'],
      estimatedLocation: {
        countryCode: 'NL',
        region: 'Utrecht',
        city: null,
        verified: false,
        estimatedAt: null,
      },
      compromisedAccount: null,
      groupIdentifier: null,
      additionalInfo: null,
    },
  ],
  victims: [
    {
      age: null,
      approximateAge: 13,
      screenName: 'sunflower_kid',
      espIdentifier: 'u-110033',
      espService: 'Example Chat',
      emails: [],
      profileUrls: [],
      estimatedLocation: { countryCode: 'NL', region: null, city: null, verified: null, estimatedAt: null },
    },
  ],
  intendedRecipients: [],
  internetDetails: [
    {
      type: 'webPage',
      urls: ['https://files.example.invalid/share/abc123'],
      emails: [],
      thirdPartyHostedContent: true,
      chatClient: null,
      chatRoomName: null,
      gameName: null,
      console: null,
      newsgroupName: null,
      phoneNumber: null,
      peer2peerClient: null,
      fileNames: null,
      ipCaptureEvents: [],
      additionalInfo: null,
    },
  ],
  additionalInfo: 'Synthetic example report.',
  itemCount: 2,
  fileIds: ['f-1'],
  driftNotes: [{ path: '/report/incidentSummary/newElement', kind: 'unknown_element', value: 'kept text' }],
};

const fileFields: Omit<ReportFile, 'fileId'> = {
  sha256,
  size: 48_213,
  mediaType: 'image/jpeg',
  fileName: 'IMG_0001.jpg',
  originalFileName: 'photo.jpg',
  locationOfFile: 'https://cdn.example.invalid/m/IMG_0001.jpg',
  uploadedToEspAt: Date.UTC(2026, 2, 12, 22, 1, 5),
  fileViewedByEsp: true,
  exifViewedByEsp: false,
  publiclyAvailable: false,
  fileRelevance: 'REPORTED',
  fileAnnotations: ['possibleSelfProduction'],
  industryClassification: 'B2',
  partnerHashes: [{ hashType: 'MD5', value: hex('md5', 'synthetic file one') }],
  partnerHashChecks: [
    {
      hashType: 'MD5',
      partnerValue: hex('md5', 'synthetic file one'),
      computedValue: hex('md5', 'synthetic file one'),
      status: 'match',
    },
  ],
  uploadIpEvent,
  details: [
    { type: 'EXIF', name: 'Model', value: 'Example Phone 3' },
    { type: 'HASH', name: 'pdq', value: pdq },
  ],
  additionalInfo: null,
};

const reportFile: ReportFile = { fileId: 'f-1', ...fileFields };

const bundle: Bundle = {
  bundleId,
  partnerId: 'partner-a',
  partnerBundleRef: 'batch-2026-03-14-001',
  keyId: 'k1',
  receivedAt,
  format: 'xml',
  sourceSha256: hex('sha256', 'synthetic bundle bytes'),
  reports: [{ report, files: [reportFile] }],
  driftNotes: [],
};

const item: Item = {
  ...reportFile,
  itemId: `${reportId}/f-1`,
  reportId,
  reportVersion: 2,
  partnerId: 'partner-a',
  bundleId,
  receivedAt,
  kind: 'file',
  itemIndex: 0,
  itemCount: 2,
  url: null,
};

const hashedItem: HashedItem = {
  item,
  hashes: {
    md5: hex('md5', 'synthetic file one'),
    sha1: hex('sha1', 'synthetic file one'),
    sha256,
    pdq,
    pdqQuality: 92,
    pdqDihedral: Array.from({ length: 8 }, (_, i) => pdq.slice(i * 2) + pdq.slice(0, i * 2)),
    pdqMode: 'reference-no-exif-rotate',
    perceptualStatus: 'hashed',
    errorCode: null,
  },
  matches: [
    {
      listName: 'police-example-vics',
      listVersion: '2026-03-01',
      hashType: 'PDQ',
      category: 1,
      categoryLabel: 'Category 1',
      distance: 12,
      variant: 'rotate90',
    },
  ],
  dedupe: {
    firstSeenReportId: 'partner-b:R-77',
    firstSeenAt: Date.UTC(2025, 10, 2),
    reportCount: 3,
    nearDuplicateClusterId: 'pdq-c-0042',
    nearestSha256: hex('sha256', 'synthetic file zero'),
    nearestDistance: 12,
  },
};

const enrichedItem: EnrichedItem = {
  ...hashedItem,
  enrichment: [
    {
      subjectType: 'ip',
      origin: 'uploadIpEvent',
      ip: '192.0.2.41',
      host: null,
      registrableDomain: null,
      countryCode: 'NL',
      city: 'Utrecht',
      asn: 64_500,
      asOrganization: 'Example Datacentre B.V.',
      inJurisdiction: true,
      possibleProxy: false,
      sources: [
        { database: 'geolite2-city', version: '2026-06', lookedUpAt: receivedAt + 4_000 },
        { database: 'asn', version: '2026-06', lookedUpAt: receivedAt + 4_000 },
      ],
      error: null,
    },
    {
      subjectType: 'host',
      origin: 'locationOfFile',
      ip: null,
      host: 'cdn.example.invalid',
      registrableDomain: 'example.invalid',
      countryCode: null,
      city: null,
      asn: null,
      asOrganization: null,
      inJurisdiction: null,
      possibleProxy: null,
      sources: [],
      error: 'TRIAGE_DEPENDENCY_TIMEOUT',
    },
  ],
};

const caseRecord: Case = {
  reportId,
  version: 2,
  report: {
    partnerId: 'partner-a',
    partnerReportId: 'CT-000123',
    bundleId,
    receivedAt,
    incidentType: 'ONLINE_ENTICEMENT',
    incidentTypeText: 'Online Enticement of Children for Sexual Acts',
    incidentDateTime: incidentAt,
    escalateToHighPriority: report.escalateToHighPriority,
    reportAnnotations: ['sextortion'],
    batched: false,
    batchedReason: null,
    ncmecPriority: 1,
    reporterName: 'Example Social Ltd',
    personsReportedCount: 1,
    victimCount: 1,
    intendedRecipientCount: 0,
    estimatedCountryCodes: ['NL'],
  },
  items: [
    {
      itemId: `${reportId}/f-1`,
      kind: 'file',
      sha256,
      url: null,
      mediaType: 'image/jpeg',
      novelty: 'near_duplicate',
      categories: [1],
      matchedLists: ['police-example-vics'],
      nearestDistance: 12,
      fileViewedByEsp: true,
      industryClassification: 'B2',
      fileAnnotations: ['possibleSelfProduction'],
    },
    {
      itemId: `${reportId}/url:0`,
      kind: 'url',
      sha256: null,
      url: 'https://files.example.invalid/share/abc123',
      mediaType: null,
      novelty: 'new',
      categories: [],
      matchedLists: [],
      nearestDistance: null,
      fileViewedByEsp: null,
      industryClassification: null,
      fileAnnotations: [],
    },
  ],
  enrichment: {
    countryCodes: ['NL'],
    inJurisdiction: true,
    possibleProxy: false,
    asOrganizations: ['Example Datacentre B.V.'],
    hosts: ['cdn.example.invalid', 'files.example.invalid'],
  },
  score: 87.5,
  tier: 'P1',
  reasons: [
    // A tier floor: the score alone is P2, NCMEC priority 1 holds the case at P1.
    {
      factor: 'floor:ncmec_priority_1',
      field: 'report.ncmecPriority',
      value: '1 -> at least P1 (score alone: P2)',
      contribution: 0,
    },
    { factor: 'ncmec_priority_1', field: 'report.ncmecPriority', value: '1', contribution: 40 },
    { factor: 'sextortion', field: 'report.reportAnnotations', value: 'sextortion', contribution: 25 },
    { factor: 'in_jurisdiction', field: 'enrichment.inJurisdiction', value: 'true', contribution: 15 },
    { factor: 'known_content', field: 'items.novelty', value: 'near_duplicate', contribution: -2.5 },
  ],
  ruleVersion: 'rules-2026.03.1',
  linkedReports: [{ reportId: 'partner-a:CT-000050', identifierType: 'espIdentifier' }],
  provisional: false,
  itemsExpected: 2,
  itemsSeen: 2,
  updatedAt: receivedAt + 9_000,
};

const triageAction: TriageAction = {
  actionId: '6f1c2d3e-0000-4000-8000-00000000a001',
  reportId,
  reportVersion: 2,
  actor: 'analyst-17',
  role: 'analyst',
  type: 'assign',
  payload: { assignee: 'analyst-17' },
  at: receivedAt + 600_000,
  requestId: 'req-0002',
};

/** A TriageAction v3 category action: an analyst's VICS category of an item, with its hashes. */
export const categoryActionExample: TriageAction = {
  ...triageAction,
  actionId: '6f1c2d3e-0000-4000-8000-00000000a002',
  type: 'categorise',
  payload: {
    itemId: `${reportId}/file-0`,
    category: '1',
    md5: hex('md5', 'synthetic file one'),
    sha1: hex('sha1', 'synthetic file one'),
    sha256,
    pdq,
  },
};

const auditChainId = 'triage-api-0/2026-03-14T09:00:00.000Z';
const auditEvent: AuditEvent = {
  eventId: `${auditChainId}/3`,
  actor: 'analyst-17',
  role: 'analyst',
  action: 'search',
  target: { type: 'query', id: null },
  query: 'email:<redacted> AND tier:P1',
  resultCount: 3,
  reason: null,
  requestId: 'req-0001',
  outcome: 'allowed',
  at: receivedAt + 500_000,
  chain: {
    chainId: auditChainId,
    sequence: 3,
    previousHash: hex('sha256', 'synthetic audit event 2'),
    hash: hex('sha256', 'synthetic audit event 3'),
  },
};

const knownHash: KnownHash = {
  listName: 'police-example-vics',
  listVersion: '2026-03-01',
  hashType: 'MD5',
  value: hex('md5', 'synthetic known file'),
  category: 1,
  categoryLabel: 'Category 1',
  source: 'vics-json',
  mediaId: '1001',
  mediaSize: 120_000,
  series: null,
  tags: ['example-tag'],
  victimIdentified: true,
  offenderIdentified: false,
  isDistributed: true,
  photoDnaVerbatim: null,
  importedAt: Date.UTC(2026, 2, 1, 12, 0, 0),
};

const takedownEvent: TakedownEvent = {
  eventId: 'hotline-x:notice-551:notice_sent',
  partnerId: 'hotline-x',
  url: 'https://files.example.invalid/share/abc123',
  host: 'files.example.invalid',
  ip: '203.0.113.9',
  sha256,
  itemId: null,
  type: 'notice_sent',
  at: Date.UTC(2026, 2, 14, 10, 0, 0),
  receivedAt: Date.UTC(2026, 2, 14, 10, 0, 3),
  noticeId: 'notice-551',
  hosterContact: 'abuse@hosting.example.invalid',
  hosterHint: 'Example Hosting',
  newUrl: null,
  newHost: null,
  newIp: null,
};

const deadLetter: DeadLetter = {
  originalTopic: 'items.v1',
  partition: 3,
  offset: 18_446,
  timestamp: receivedAt,
  key: Buffer.from(reportId),
  value: Buffer.from([0xc3, 0x01, 0xde, 0xad, 0xbe, 0xef]),
  headers: [
    { key: 'traceparent', value: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01') },
    { key: 'empty', value: null },
  ],
  errorCode: 'TRIAGE_SCHEMA_DECODE_FAILED',
  errorMessage: 'Record is not Avro single-object encoded',
  stage: 'hasher',
  attempt: 1,
  failedAt: receivedAt + 1_000,
};

const deadLetterRedrive: DeadLetterRedrive = {
  deadLetterId: 'items.v1.dlq:0:42',
  originalTopic: 'items.v1',
  stage: 'hasher',
  outcome: 'redriven',
  operator: 'operator-1',
  at: receivedAt + 60_000,
};

const reportErasure: ReportErasure = {
  reportId: 'tipline-example:900002',
  reason: 'court order 2026-0042 (invented)',
  operator: 'operator-1',
  at: receivedAt + 90 * 86_400_000,
  auditEventId: 'triage-cli.erase:4242/2026-06-12T09:00:00.000Z/0',
};

const media: Media = {
  sha256,
  pdq,
  pdqQuality: 92,
  firstSeenReportId: 'tipline-example:900001',
  firstSeenItemId: 'tipline-example:900001/file-1',
  firstSeenAt: receivedAt,
  clusterId: sha256,
  nearestSha256: null,
  nearestDistance: null,
};

const mediaSummary: MediaSummary = {
  sha256,
  firstSeenReportId: 'tipline-example:900001',
  firstSeenItemId: 'tipline-example:900001/file-1',
  firstSeenAt: receivedAt,
  reportCount: 3,
};

const mediaSighting: MediaSighting = {
  sha256,
  reportId: 'tipline-example:900003',
  ordinal: 3,
  seenAt: receivedAt + 86_400_000,
  firstSeenReportId: 'tipline-example:900001',
  firstSeenAt: receivedAt,
};

const suspectIdentifier: SuspectIdentifier = {
  identifierType: 'email',
  identifierHash: hex('sha256', 'suspect.example@example.com'),
  reportId: 'tipline-example:900003',
  reportVersion: 1,
  receivedAt,
};

const bundleStatus: BundleStatus = {
  bundleId: bundle.bundleId,
  partnerId: bundle.partnerId,
  partnerBundleRef: bundle.partnerBundleRef,
  receivedAt,
  contentDigest: hex('sha256', 'normalised bundle'),
  format: 'json',
  stage: 'split',
  updatedAt: receivedAt + 1_500,
  fileCount: 1,
  newFileCount: 1,
  byteCount: 48_213,
  reports: [
    {
      reportId: report.reportId,
      partnerReportId: report.partnerReportId,
      version: 1,
      fileCount: 1,
      itemCount: 2,
      errors: [
        { code: 'partner_hash_mismatch', pointer: '/reports/0/files/0/hashes/0', message: 'MD5 differs' },
      ],
    },
  ],
};

/** One example per top-level record. */
export const examples: RecordTypes = {
  AuditEvent: auditEvent,
  Bundle: bundle,
  BundleStatus: bundleStatus,
  Case: caseRecord,
  DeadLetter: deadLetter,
  DeadLetterRedrive: deadLetterRedrive,
  EnrichedItem: enrichedItem,
  HashedItem: hashedItem,
  Item: item,
  KnownHash: knownHash,
  Media: media,
  MediaSighting: mediaSighting,
  MediaSummary: mediaSummary,
  Report: report,
  ReportErasure: reportErasure,
  SuspectIdentifier: suspectIdentifier,
  TakedownEvent: takedownEvent,
  TriageAction: triageAction,
};
