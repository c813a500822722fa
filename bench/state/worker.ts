/**
 * One state measurement in its own process (`--expose-gc`), so its heap and resident set are its
 * own: a history written through a stage's keyed stores to real changelogs, a restore of it (from
 * the checkpoint, after a lost local store, or in memory), or a stage's throughput as a service.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { MediaIndex, recordSighting, sightingKey } from '@triage/dedupe';
import { NetworkEnricher } from '@triage/enrichment';
import { createHasherService } from '@triage/hasher/service';
import { createLogger } from '@triage/logging';
import { pdqDefaults } from '@triage/matching';
import {
  bootstrapTopics,
  createKeyedStore,
  createRecordProducer,
  DiskKeyedStateStore,
  deployedTopic,
  type KafkaConnection,
  type KeyedStore,
  type OutboundRecord,
  PartitionReader,
  pipelineTopics,
  recordCodec,
  stateTopics,
  type TableRecord,
  type TopicSpec,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import {
  createCodec,
  type EnrichedItem,
  type MediaSighting,
  type MediaSummary,
  type Report,
} from '@triage/schemas';
import { createScorerService } from '@triage/scorer/service';
import { testIdentifierKeys } from '@triage/scorer/testing';
import { loadRules } from '@triage/scoring';
import { serveChildJob } from '../lib/child-job.ts';
import { folderBytes, type Memory, processMemory as memory } from '../lib/process-memory.ts';
import { fileSha256, simulatedYear } from './simulated-year.ts';
import { observedItem, pdqOf, reportRecords } from './state-records.ts';

/** Which stage's stores a history job writes: the scorer's (per report) or dedupe's (per sighting). */
export type Layout = 'scorer' | 'dedupe';

export type RestoreHow = 'checkpoint' | 'lost' | 'memory';

interface Common {
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
}

export type StateJob =
  | (Common & {
      readonly kind: 'load';
      readonly layout: Layout;
      readonly days: number;
      readonly dir: string;
      readonly cacheEntries: number;
    })
  | (Common & {
      readonly kind: 'restore';
      readonly layout: Layout;
      readonly how: RestoreHow;
      readonly dir: string;
      readonly cacheEntries: number;
      /** `checkpoint`: changelog records written after the checkpoint (a crash before the disk write). */
      readonly tail: number;
    })
  | { readonly kind: 'media-index'; readonly images: number }
  | (Common & {
      readonly kind: 'scorer';
      readonly days: number;
      /** null: the in-memory store (the baseline). */
      readonly stateDir: string | null;
      readonly cacheEntries: number;
    })
  | (Common & {
      readonly kind: 'dedupe';
      readonly days: number;
      /** null: the in-memory store (the baseline). */
      readonly stateDir: string | null;
      readonly cacheEntries: number;
    });

export interface LoadResult {
  readonly reports: number;
  readonly files: number;
  /** Keys written per store. */
  readonly keys: Record<string, number>;
  /** Changelog records and their key + value bytes (before compaction). */
  readonly changelogRecords: number;
  readonly changelogBytes: number;
  /** Time in the stores and the changelog sends, not in making the records. */
  readonly loadMs: number;
  /** Heap etc. before the first write and after the load, after a full GC. */
  readonly before: Memory;
  readonly after: Memory;
  readonly diskBytes: number;
}

export interface RestoreResult {
  readonly how: RestoreHow;
  readonly ms: number;
  readonly recordsRead: number;
  /** `checkpoint`: the restore after a clean stop (nothing past the checkpoint). */
  readonly cleanMs?: number;
  readonly cleanRecordsRead?: number;
  readonly before: Memory;
  readonly after: Memory;
  readonly diskBytes?: number;
}

/** The heap of dedupe's PDQ index (every distinct image), which stays in memory with either store. */
export interface MediaIndexResult {
  readonly images: number;
  readonly before: Memory;
  readonly after: Memory;
}

export interface ScorerResult extends ServiceRun {
  readonly reports: number;
  readonly items: number;
  readonly diskBytes?: number;
}

export interface DedupeResult extends ServiceRun {
  readonly sightings: number;
  readonly diskBytes?: number;
  readonly keys: Record<string, number>;
}

const codec = createCodec();
const logger = createLogger({ name: 'bench-state', level: 'warn' });
/** Changelog records per send: what one runner batch of a stage writes, about. */
const sendBatch = 1_000;

function connectionOf(job: Common): KafkaConnection {
  return { brokers: [...job.brokers], clientId: 'bench-state', topicPrefix: job.topicPrefix };
}

/** A stable partition for a key (the bench writes each store itself; any stable spread will do). */
function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 16777619);
  return (hash >>> 0) % partitions;
}

/** The stores of a layout, with what it writes for one planned report. */
interface LayoutStores {
  readonly stores: readonly KeyedStore<unknown>[];
  readonly partitions: number;
  /** Writes one report's state; returns the number of files it carried. */
  apply(records: ReturnType<typeof reportRecords>): void;
}

export const layoutTopics: Record<Layout, readonly TopicSpec[]> = {
  scorer: [stateTopics.scorerReports, stateTopics.scorerItems],
  dedupe: [stateTopics.dedupeMedia, stateTopics.dedupeSightings],
};

function openLayout(
  layout: Layout,
  connection: KafkaConnection,
  dir: string | null,
  cacheEntries: number,
): LayoutStores {
  const common = { connection, logger, dir, cacheEntries };
  const topic = (spec: TopicSpec) => deployedTopic(connection, spec.name);
  if (layout === 'scorer') {
    // As the scorer keeps them: the latest report version, its items one key each, grouped by report.
    const reports = createKeyedStore<Report>({
      ...common,
      name: 'scorer.reports',
      changelogTopic: topic(stateTopics.scorerReports),
      codec: recordCodec(codec, 'Report'),
    });
    const items = createKeyedStore<EnrichedItem>({
      ...common,
      name: 'scorer.items',
      changelogTopic: topic(stateTopics.scorerItems),
      codec: recordCodec(codec, 'EnrichedItem'),
      groupOf: (_itemId, item) => item.item.reportId,
    });
    const partitions = stateTopics.scorerReports.partitions;
    return {
      stores: [reports, items] as KeyedStore<unknown>[],
      partitions,
      apply({ report, items: reportItems }) {
        const partition = partitionOf(report.reportId, partitions);
        // A report's items are read back as the scorer reads them before each score.
        items.group(partition, report.reportId);
        reports.put(partition, report.reportId, report);
        for (const item of reportItems) items.put(partition, item.item.itemId, item);
      },
    };
  }
  // As dedupe keeps them: a summary per file, a sighting per file and report (recordSighting).
  const summaries = createKeyedStore<MediaSummary>({
    ...common,
    name: 'dedupe.media',
    changelogTopic: topic(stateTopics.dedupeMedia),
    codec: recordCodec(codec, 'MediaSummary'),
  });
  const sightings = createKeyedStore<MediaSighting>({
    ...common,
    name: 'dedupe.sightings',
    changelogTopic: topic(stateTopics.dedupeSightings),
    codec: recordCodec(codec, 'MediaSighting'),
  });
  const partitions = stateTopics.dedupeMedia.partitions;
  return {
    stores: [summaries, sightings] as KeyedStore<unknown>[],
    partitions,
    apply({ items }) {
      for (const { item } of items) {
        const sha256 = item.sha256!;
        const partition = partitionOf(sha256, partitions);
        const key = sightingKey(sha256, item.reportId);
        const outcome = recordSighting(summaries.get(partition, sha256), sightings.get(partition, key), {
          sha256,
          reportId: item.reportId,
          itemId: item.itemId,
          receivedAt: item.receivedAt,
        });
        if (!outcome.isNewReport) continue;
        summaries.put(partition, sha256, outcome.summary);
        sightings.put(partition, key, outcome.sighting);
      }
    },
  };
}

async function restoreAll(opened: LayoutStores): Promise<void> {
  const partitions = Array.from({ length: opened.partitions }, (_, partition) => partition);
  for (const store of opened.stores) store.assign(partitions);
  await Promise.all(opened.stores.flatMap((store) => partitions.map((p) => store.ensureRestored(p))));
}

/** Records read by the last restore of every partition of the layout's disk stores. */
function recordsRead(opened: LayoutStores): number {
  let read = 0;
  for (const store of opened.stores) {
    if (!(store instanceof DiskKeyedStateStore)) continue;
    for (const restore of store.restores.values()) read += restore.recordsRead;
  }
  return read;
}

function storeDir(job: { dir: string }, layout: Layout): string {
  return path.join(job.dir, layout);
}

/** The runner's side of a batch: the changelog writes sent (acks=all), then acknowledged to the stores. */
async function flushWrites(
  opened: LayoutStores,
  producer: ReturnType<typeof createRecordProducer>,
): Promise<{ records: number; bytes: number }> {
  const writes: OutboundRecord[] = opened.stores.flatMap((store) => store.drainWrites());
  if (writes.length === 0) return { records: 0, bytes: 0 };
  await producer.send(writes);
  for (const store of opened.stores) store.acknowledged?.();
  let bytes = 0;
  for (const write of writes) bytes += Buffer.byteLength(write.key ?? '') + (write.value?.length ?? 0);
  return { records: writes.length, bytes };
}

async function load(job: Extract<StateJob, { kind: 'load' }>): Promise<LoadResult> {
  const connection = connectionOf(job);
  const opened = openLayout(job.layout, connection, storeDir(job, job.layout), job.cacheEntries);
  const producer = createRecordProducer(connection, `bench-state-${job.layout}`);
  try {
    await restoreAll(opened);
    const before = memory();
    let reports = 0;
    let files = 0;
    let loadMs = 0;
    let changelogRecords = 0;
    let changelogBytes = 0;
    let chunk: ReturnType<typeof reportRecords>[] = [];
    let chunkFiles = 0;
    const write = async () => {
      const started = performance.now();
      for (const records of chunk) opened.apply(records);
      const sent = await flushWrites(opened, producer);
      loadMs += performance.now() - started;
      changelogRecords += sent.records;
      changelogBytes += sent.bytes;
      chunk = [];
      chunkFiles = 0;
    };
    for (const planned of simulatedYear({ days: job.days })) {
      reports += 1;
      files += planned.files.length;
      chunkFiles += planned.files.length + 1;
      chunk.push(reportRecords(codec, planned));
      if (chunkFiles >= sendBatch) await write();
    }
    await write();
    const keys = Object.fromEntries(opened.stores.map((store) => [store.name, store.size()]));
    const after = memory();
    return {
      reports,
      files,
      keys,
      changelogRecords,
      changelogBytes,
      loadMs,
      before,
      after,
      diskBytes: await folderBytes(storeDir(job, job.layout)),
    };
  } finally {
    await producer.close();
    await Promise.all(opened.stores.map((store) => store.close()));
  }
}

/**
 * Writes `tail` changelog records past the checkpoint: the latest values of keys already held,
 * sent and never acknowledged, as when an instance dies between the changelog's ack and its disk
 * write. The next restore reads them from the changelog.
 */
async function writeUnacknowledgedTail(opened: LayoutStores, connection: KafkaConnection, tail: number) {
  const producer = createRecordProducer(connection, 'bench-state-tail');
  try {
    const perStore = Math.ceil(tail / opened.stores.length / opened.partitions);
    for (const store of opened.stores) {
      for (const partition of store.held) {
        let written = 0;
        for (const [key, value] of store.entries(partition)) {
          if (written++ >= perStore) break;
          store.put(partition, key, value);
        }
      }
    }
    await producer.send(opened.stores.flatMap((store) => store.drainWrites()));
  } finally {
    await producer.close();
  }
}

async function restore(job: Extract<StateJob, { kind: 'restore' }>): Promise<RestoreResult> {
  const connection = connectionOf(job);
  const dir = job.how === 'memory' ? null : storeDir(job, job.layout);
  if (job.how === 'lost') await rm(dir!, { recursive: true, force: true });
  let cleanMs: number | undefined;
  let cleanRecordsRead: number | undefined;
  if (job.how === 'checkpoint') {
    // After a clean stop: the checkpoint is the changelog's end.
    const clean = openLayout(job.layout, connection, dir, job.cacheEntries);
    const started = performance.now();
    await restoreAll(clean);
    cleanMs = performance.now() - started;
    cleanRecordsRead = recordsRead(clean);
    await writeUnacknowledgedTail(clean, connection, job.tail);
    await Promise.all(clean.stores.map((store) => store.close()));
  }
  const before = memory();
  const opened = openLayout(job.layout, connection, dir, job.cacheEntries);
  try {
    const started = performance.now();
    await restoreAll(opened);
    const ms = performance.now() - started;
    const after = memory();
    const keys = opened.stores.reduce((total, store) => total + store.size(), 0);
    if (keys === 0) throw new Error(`${job.how}: nothing restored`);
    return {
      how: job.how,
      ms,
      // The in-memory store reads every record; it does not count them.
      recordsRead: job.how === 'memory' ? -1 : recordsRead(opened),
      ...(cleanMs === undefined ? {} : { cleanMs, cleanRecordsRead: cleanRecordsRead! }),
      before,
      after,
      ...(dir === null ? {} : { diskBytes: await folderBytes(dir) }),
    };
  } finally {
    await Promise.all(opened.stores.map((store) => store.close()));
  }
}

/** Produces the records (inputs of a stage under test) before the stage starts. */
async function fill(connection: KafkaConnection, records: Iterable<OutboundRecord>): Promise<void> {
  const producer = createRecordProducer(connection, 'bench-state-fill');
  try {
    let batch: OutboundRecord[] = [];
    for (const record of records) {
      batch.push(record);
      if (batch.length < sendBatch) continue;
      await producer.send(batch);
      batch = [];
    }
    await producer.send(batch);
  } finally {
    await producer.close();
  }
}

/** A stage's throughput run: from `start()` (and from its first output) until `done` says the last output came. */
export interface ServiceRun {
  readonly seconds: number;
  readonly steadySeconds: number;
  /** The started service's memory before its first output, and after the last. */
  readonly before: Memory;
  readonly after: Memory;
}

async function untilOutputs(
  connection: KafkaConnection,
  output: string,
  service: { start(): Promise<void>; stop(): Promise<void> },
  done: (record: TableRecord) => boolean,
): Promise<ServiceRun> {
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, output),
    name: `bench-state-${output}`,
  });
  const from = await reader.endOffsets();
  const before = memory();
  let firstAt = 0;
  try {
    const started = performance.now();
    await service.start();
    for await (const record of reader.follow(from)) {
      if (record.value === null) continue;
      firstAt ||= performance.now();
      if (done(record)) break;
    }
    const finished = performance.now();
    return {
      seconds: (finished - started) / 1000,
      steadySeconds: (finished - firstAt) / 1000,
      before,
      after: memory(),
    };
  } finally {
    await reader.close();
    await service.stop();
  }
}

/** Every topic of the pipeline and the stores' changelogs under the job's prefix. */
async function bootstrapPipeline(connection: KafkaConnection): Promise<void> {
  await bootstrapTopics({
    connection,
    topics: [...Object.values(pipelineTopics), ...Object.values(stateTopics)],
    replicationFactor: 1,
  });
}

/**
 * Dedupe as it runs: the hasher service over a media.observed pre-filled with the days' sightings
 * (its items topic stays empty: nothing is hashed), until every item is on items.hashed.
 */
async function dedupeThroughput(job: Extract<StateJob, { kind: 'dedupe' }>): Promise<DedupeResult> {
  const connection = connectionOf(job);
  await bootstrapPipeline(connection);
  let sightings = 0;
  await fill(
    connection,
    (function* () {
      for (const planned of simulatedYear({ days: job.days })) {
        for (const item of reportRecords(codec, planned).items) {
          sightings += 1;
          yield {
            topic: deployedTopic(connection, pipelineTopics.mediaObserved.name),
            key: item.item.sha256!,
            value: codec.encode('HashedItem', observedItem(item)),
          };
        }
      }
    })(),
  );
  const service = createHasherService({
    connection,
    codec,
    logger,
    // The items topic stays empty: nothing asks for media bytes.
    mediaHasher: {
      hash: () => Promise.reject(new Error('the bench hashes nothing')),
      close: async () => undefined,
    },
    hasherGroupId: `${job.topicPrefix}hasher`,
    dedupeGroupId: `${job.topicPrefix}dedupe`,
    pdqMatchDistance: pdqDefaults.matchDistance,
    pdqMinQuality: pdqDefaults.minQuality,
    stateDir: job.stateDir,
    stateCacheEntries: job.cacheEntries,
  });
  let seen = 0;
  let keys: Record<string, number> = {};
  const run = await untilOutputs(connection, pipelineTopics.itemsHashed.name, service, () => {
    seen += 1;
    if (seen < sightings) return false;
    keys = service.snapshot().runners.find((runner) => runner.stage === 'dedupe')?.stateKeys ?? {};
    return true;
  });
  return {
    sightings,
    ...run,
    keys,
    ...(job.stateDir === null ? {} : { diskBytes: await folderBytes(job.stateDir) }),
  };
}

/**
 * The scorer as it runs: the scorer service over reports and enriched items pre-filled with the
 * days' traffic, until every report's final case is on cases.v1.
 */
async function scorerThroughput(job: Extract<StateJob, { kind: 'scorer' }>): Promise<ScorerResult> {
  const connection = connectionOf(job);
  await bootstrapPipeline(connection);
  const topic = (name: string) => deployedTopic(connection, name);
  const pending = new Set<string>();
  let items = 0;
  await fill(
    connection,
    (function* () {
      for (const planned of simulatedYear({ days: job.days })) {
        const records = reportRecords(codec, planned);
        const key = records.report.reportId;
        pending.add(key);
        items += records.items.length;
        yield {
          topic: topic(pipelineTopics.reports.name),
          key,
          value: codec.encode('Report', records.report),
        };
        for (const item of records.items) {
          yield {
            topic: topic(pipelineTopics.itemsEnriched.name),
            key,
            value: codec.encode('EnrichedItem', item),
          };
        }
      }
    })(),
  );
  const reports = pending.size;
  const enricher = await NetworkEnricher.open({ reloadIntervalMs: 0 });
  try {
    const service = createScorerService({
      connection,
      codec,
      logger,
      groupId: `${job.topicPrefix}scorer`,
      rules: loadRules(),
      enricher,
      identifierKeys: testIdentifierKeys,
      // As the scorer benchmark runs it: no quiet case comes during the run.
      provisionalEvery: 200,
      quietMs: 60_000,
      stateDir: job.stateDir,
      stateCacheEntries: job.cacheEntries,
    });
    const run = await untilOutputs(connection, pipelineTopics.cases.name, service, (record) => {
      const value = codec.decode('Case', record.value!);
      if (!value.provisional) pending.delete(value.reportId);
      return pending.size === 0;
    });
    return {
      reports,
      items,
      ...run,
      ...(job.stateDir === null ? {} : { diskBytes: await folderBytes(job.stateDir) }),
    };
  } finally {
    await enricher.close();
  }
}

async function mediaIndexHeap(job: Extract<StateJob, { kind: 'media-index' }>): Promise<MediaIndexResult> {
  const before = memory();
  const index = new MediaIndex(pdqDefaults.matchDistance);
  for (let image = 0; image < job.images; image++) {
    const sha256 = fileSha256(image);
    index.add(sha256, pdqOf(sha256));
  }
  index.optimize();
  const after = memory();
  if (index.size !== job.images) throw new Error(`media index holds ${index.size} of ${job.images}`);
  return { images: job.images, before, after };
}

serveChildJob<StateJob, LoadResult | RestoreResult | ScorerResult | DedupeResult | MediaIndexResult>(
  async (job) => {
    if (job.kind === 'media-index') return await mediaIndexHeap(job);
    try {
      if (job.kind === 'load') return await load(job);
      if (job.kind === 'restore') return await restore(job);
      if (job.kind === 'scorer') return await scorerThroughput(job);
      return await dedupeThroughput(job);
    } finally {
      if (job.kind === 'dedupe' || job.kind === 'scorer') {
        await deletePrefixedTopics(connectionOf(job), 'bench-state-cleanup').catch(() => undefined);
      }
    }
  },
);
