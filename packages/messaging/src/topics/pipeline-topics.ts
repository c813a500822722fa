import { changelogSpec, day, defaultRetryPolicy, type TopicSpec } from './topic-spec.ts';

/**
 * Every report-keyed topic has this many partitions, so all records of one report land on the
 * same partition number everywhere and the scorer can aggregate a report without a database.
 * Sized for this 2-core machine; deploy/README.md says how to size it at scale.
 */
export const reportPartitions = 6;

/** The largest encoded Bundle record intake publishes (metadata only: media stays in the content store). */
export const bundleRecordMaxBytes = 16 * 1024 * 1024;

const dependencyRetry = { maxAttempts: 1, initialDelayMs: 250, maxDelayMs: 30_000 };

function reportKeyed(name: string, record: string, description: string): TopicSpec {
  return {
    name,
    record,
    key: 'reportId',
    partitions: reportPartitions,
    cleanupPolicy: 'delete',
    retentionMs: 30 * day,
    deadLetter: true,
    retry: dependencyRetry,
    description,
  };
}

/** The pipeline's topics (docs/architecture.md, "Flow"). A breaking change is a new `.vN` topic. */
export const pipelineTopics = {
  bundles: {
    name: 'intake.bundles.v1',
    record: 'Bundle',
    key: 'bundleId',
    partitions: reportPartitions,
    cleanupPolicy: 'delete',
    // The durable source of truth: replays of the whole pipeline start here.
    retentionMs: -1,
    deadLetter: true,
    retry: dependencyRetry,
    description: 'Accepted partner bundles (media by sha256 reference only).',
    // A viral report can list thousands of files; intake refuses a bundle whose record is larger.
    maxMessageBytes: bundleRecordMaxBytes,
  },
  bundleStatus: {
    name: 'intake.status.v1',
    record: 'BundleStatus',
    key: 'bundleId',
    partitions: reportPartitions,
    cleanupPolicy: 'compact',
    // Receipts answer re-sent bundles for as long as partners may resend: kept forever.
    retentionMs: -1,
    deadLetter: false,
    retry: defaultRetryPolicy,
    description: 'Receipt and status of every accepted bundle (received, split, per-report errors).',
    // One entry per report: a bundle at intake's report limit needs more than the 1 MiB default.
    maxMessageBytes: bundleRecordMaxBytes,
  },
  reports: reportKeyed('reports.v1', 'Report', 'One record per report version, split from bundles.'),
  items: reportKeyed('items.v1', 'Item', 'One record per file or reported URL of a report.'),
  itemsHashed: reportKeyed(
    'items.hashed.v1',
    'HashedItem',
    'Items with hashes, list matches and dedupe facts.',
  ),
  mediaObserved: {
    ...reportKeyed(
      'media.observed.v1',
      'HashedItem',
      'Hashed file items re-keyed by sha256, so one dedupe instance sees every sighting of a file.',
    ),
    key: 'sha256',
  },
  media: {
    name: 'media.v1',
    record: 'Media',
    key: 'sha256',
    partitions: 3,
    cleanupPolicy: 'compact',
    retentionMs: -1,
    // The indexer consumes it in a group: a record Elasticsearch refuses goes here.
    deadLetter: true,
    retry: defaultRetryPolicy,
    description:
      'Every distinct file once: PDQ and near-duplicate cluster. Read in full by every dedupe instance.',
  },
  itemsEnriched: reportKeyed(
    'items.enriched.v1',
    'EnrichedItem',
    'Hashed items with hoster, geolocation and jurisdiction.',
  ),
  cases: {
    ...reportKeyed('cases.v1', 'Case', 'The latest scored case of each report (provisional until complete).'),
    // Only the newest case of a report matters; compaction keeps the topic the size of the caseload.
    cleanupPolicy: 'compact',
    retentionMs: -1,
    // A case lists every item (~120-250 bytes each): a viral report's thousands of items exceed 1 MiB.
    maxMessageBytes: 8 * 1024 * 1024,
  },
  hashsets: {
    name: 'hashsets.v1',
    record: 'KnownHash',
    key: '<list>:<hashType>:<value>',
    partitions: 3,
    cleanupPolicy: 'compact',
    retentionMs: -1,
    deadLetter: false,
    retry: defaultRetryPolicy,
    description: 'Known hashes from police lists; a tombstone removes one. Read in full by every hasher.',
  },
  triageActions: {
    ...reportKeyed('triage.actions.v1', 'TriageAction', 'Analyst actions on cases.'),
    // Analyst state is rebuilt from these actions, so they are kept as long as the cases.
    retentionMs: -1,
  },
  audit: {
    name: 'audit.v1',
    record: 'AuditEvent',
    // AuditEvent v2 only adds defaulted fields, so v1 records resolve into it and the topic stays
    // audit.v1 (ADR 0002); keyed by hash chain, so a chain lives, in order, in one partition
    // (docs/adr/0010-audit-hash-chain.md).
    key: 'chain.chainId',
    partitions: 3,
    cleanupPolicy: 'delete',
    // Audit trails are kept for years; Elasticsearch holds the searchable copy.
    retentionMs: 5 * 365 * day,
    deadLetter: true,
    retry: dependencyRetry,
    description:
      'Every analyst search, view, hash look-up, preview, reveal, export and action, hash-chained per writer.',
  },
  erasures: {
    name: 'erasures.v1',
    record: 'ReportErasure',
    key: 'reportId',
    // Co-partitioned like every report-keyed topic, though every scorer and indexer instance reads it whole.
    partitions: reportPartitions,
    cleanupPolicy: 'compact',
    // The ledger is what keeps an erased report from coming back on a replay: kept forever.
    retentionMs: -1,
    deadLetter: false,
    retry: defaultRetryPolicy,
    description:
      'Reports erased by law (`triage erase`): stages drop every record of a report listed here (docs/adr/0020-report-erasure.md).',
  },
  takedowns: {
    name: 'takedowns.v1',
    record: 'TakedownEvent',
    key: 'url',
    partitions: 3,
    cleanupPolicy: 'delete',
    retentionMs: -1,
    deadLetter: true,
    retry: dependencyRetry,
    description: 'Notice-and-takedown events from hotlines, for the hoster monitor.',
  },
} as const satisfies Record<string, TopicSpec>;

export type PipelineTopicId = keyof typeof pipelineTopics;

/** Changelogs of the stages' state stores, co-partitioned with the topic each store aggregates. */
export const stateTopics = {
  dedupeMedia: changelogSpec(pipelineTopics.mediaObserved, 'dedupe.media', 'MediaSummary'),
  dedupeSightings: changelogSpec(pipelineTopics.mediaObserved, 'dedupe.sightings', 'MediaSighting'),
  // The scorer's per-report aggregation: the latest report version, and its items one key each
  // (a viral report's thousands of items would not fit one record).
  scorerReports: changelogSpec(pipelineTopics.reports, 'scorer.reports', 'Report'),
  scorerItems: changelogSpec(pipelineTopics.reports, 'scorer.items', 'EnrichedItem'),
  suspectIdentifiers: {
    name: 'scorer.suspect-identifiers.v1',
    record: 'SuspectIdentifier',
    key: '<identifierType>:<sha256 of the normalised identifier>|<reportId>',
    partitions: reportPartitions,
    cleanupPolicy: 'compact',
    retentionMs: -1,
    deadLetter: false,
    retry: defaultRetryPolicy,
    description:
      'Repeat-suspect table: one row per (identifier hash, report), never the identifier. Read in full by every scorer instance.',
  },
} as const satisfies Record<string, TopicSpec>;

/** Topics of the operator tools, which no stage reads. */
export const opsTopics = {
  // `triage dlq redrive`'s ledger: a dead letter with an entry here is never sent again
  // (docs/adr/0013-dead-letter-redrive.md).
  redriveLedger: {
    name: 'deadletters.redriven.v1',
    record: 'DeadLetterRedrive',
    key: '<dlq topic>:<partition>:<offset>',
    partitions: 1,
    cleanupPolicy: 'compact',
    retentionMs: -1,
    deadLetter: false,
    retry: defaultRetryPolicy,
    description:
      'Dead letters redriven (or found superseded) by `triage dlq redrive`, one entry per dead letter.',
  },
} as const satisfies Record<string, TopicSpec>;

/** Every topic the bootstrap creates (dead-letter topics are added from each spec). */
export const allTopics: readonly TopicSpec[] = [
  ...Object.values(pipelineTopics),
  ...Object.values(stateTopics),
  ...Object.values(opsTopics),
];
