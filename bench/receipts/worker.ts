/**
 * One receipts-store measurement in its own process (`--expose-gc`), so its heap and resident
 * set are its own: the in-memory Map baseline, the receipt store (LMDB, fed through the same
 * `applyStatus` the ReceiptBook runs), raw LMDB and raw LevelDB (classic-level), and the rebuild
 * of a ReceiptBook from a real Kafka topic, in full and from its checkpoint.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyStatus, ReceiptBook, type ReceiptTables, receiptTableNames } from '@triage/intake/testing';
import { createLogger } from '@triage/logging';
import {
  bootstrapTopics,
  createRecordProducer,
  deployedTopic,
  GlobalTable,
  type KafkaConnection,
  openLmdbStore,
  pipelineTopics,
  recordCodec,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { type BundleStatus, createCodec } from '@triage/schemas';
import { ClassicLevel } from 'classic-level';
import { open } from 'lmdb';
import { serveChildJob } from '../lib/child-job.ts';
import { folderBytes, type Memory, processMemory as memory } from '../lib/process-memory.ts';
import { syntheticReceipt } from './synthetic-receipts.ts';

export type ReceiptsMode = 'map' | 'lmdb-book' | 'lmdb-raw' | 'level-raw' | 'rebuild';

export interface ReceiptsJob {
  readonly mode: ReceiptsMode;
  readonly receipts: number;
  /** Random lookups after loading. */
  readonly reads: number;
  /** `rebuild`: records appended after the first load, read from the checkpoint on restart. */
  readonly tail?: number;
  readonly brokers?: readonly string[];
}

export interface ReceiptsResult {
  readonly mode: ReceiptsMode;
  readonly receipts: number;
  readonly encodedBytes: number;
  readonly loadMs: number;
  readonly loaded: Memory;
  readonly diskBytes?: number;
  /** Opening an existing store (with its check in a child process). */
  readonly reopenMs?: number;
  readonly readsPerSecond?: number;
  readonly afterReads?: Memory;
  /** `rebuild`: the Map baseline's load from the topic, the store's full rebuild, its restart from the checkpoint. */
  readonly mapLoadMs?: number;
  readonly rebuildMs?: number;
  readonly resumeMs?: number;
}

const codec = createCodec();
const logger = createLogger({ name: 'bench-receipts', level: 'warn' });
const batchSize = 2_000;

/** The encoded receipts in batches, as the topic would hand them over. */
function* encodedBatches(total: number): Generator<EncodedBatch> {
  for (let start = 0; start < total; start += batchSize) {
    const batch = [];
    for (let index = start; index < Math.min(total, start + batchSize); index++) {
      const receipt = syntheticReceipt(index);
      batch.push({ index, key: receipt.bundleId, value: codec.encode('BundleStatus', receipt) });
    }
    yield batch;
  }
}

type EncodedBatch = { index: number; key: string; value: Buffer }[];

/**
 * Feeds every batch to `apply` and times only `apply`: making the synthetic receipts (hashes,
 * Avro encoding) is not the store's cost.
 */
async function timedLoad(
  total: number,
  apply: (batch: EncodedBatch) => unknown,
): Promise<{ loadMs: number; encodedBytes: number }> {
  let loadMs = 0;
  let encodedBytes = 0;
  for (const batch of encodedBatches(total)) {
    for (const { value } of batch) encodedBytes += value.length;
    const started = performance.now();
    await apply(batch);
    loadMs += performance.now() - started;
  }
  return { loadMs, encodedBytes };
}

/**
 * Looks every key up and gives the rate; a lookup that finds nothing fails the run. `lookup` may
 * answer synchronously (awaited only when it returns a promise, as LevelDB's reads do).
 */
async function timedLookups(
  mode: ReceiptsMode,
  keys: readonly string[],
  lookup: (key: string) => unknown,
): Promise<number> {
  let found = 0;
  const started = performance.now();
  for (const key of keys) {
    const value = lookup(key);
    if (value instanceof Promise ? await value : value) found += 1;
  }
  const ms = performance.now() - started;
  if (found !== keys.length) throw new Error(`${mode}: ${keys.length - found} receipts not found`);
  return keys.length / (ms / 1000);
}

/** Keys to look up: a fixed pseudo-random sample of the loaded receipts. */
function sampleKeys(total: number, reads: number): string[] {
  let seed = 12345;
  return Array.from({ length: reads }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return syntheticReceipt(seed % total).bundleId;
  });
}

async function measureMap(job: ReceiptsJob): Promise<ReceiptsResult> {
  // What ReceiptBook kept before: every decoded receipt, and each report's latest version.
  const receipts = new Map<string, BundleStatus>();
  const versions = new Map<string, number>();
  const { loadMs, encodedBytes } = await timedLoad(job.receipts, (batch) => {
    for (const { key, value } of batch) {
      const receipt = codec.decode('BundleStatus', value);
      receipts.set(key, receipt);
      for (const report of receipt.reports) {
        if (report.version > (versions.get(report.reportId) ?? 0))
          versions.set(report.reportId, report.version);
      }
    }
  });
  const loaded = memory();
  const keys = sampleKeys(job.receipts, job.reads);
  const readsPerSecond = await timedLookups(job.mode, keys, (key) => receipts.get(key));
  return {
    mode: job.mode,
    receipts: receipts.size,
    encodedBytes,
    loadMs,
    loaded,
    readsPerSecond,
    afterReads: memory(),
  };
}

async function measureBook(job: ReceiptsJob, dir: string): Promise<ReceiptsResult> {
  const storePath = path.join(dir, 'receipts');
  const open = () =>
    openLmdbStore({ path: storePath, tables: receiptTableNames, format: 'receipts-1', logger });
  const tablesOf = (store: Awaited<ReturnType<typeof open>>): ReceiptTables => ({
    receipts: store.table('receipts'),
    splits: store.table('splits'),
    versions: store.table('versions'),
    usage: store.table('usage'),
  });
  let store = await open();
  let tables = tablesOf(store);
  const { loadMs, encodedBytes } = await timedLoad(job.receipts, (batch) => {
    // Decoded as the table decodes each record, applied as ReceiptBook's flush applies a batch.
    const decoded = batch.map(({ key, value }) => ({ key, value: codec.decode('BundleStatus', value) }));
    return store.write(
      () => {
        for (const { key, value } of decoded) applyStatus(tables, key, value);
      },
      { source: 'bench', offsets: new Map([[0, BigInt(batch.at(-1)!.index + 1)]]) },
    );
  });
  const loaded = memory();
  const diskBytes = await store.diskBytes();
  await store.close();
  const reopenStarted = performance.now();
  store = await open();
  const reopenMs = performance.now() - reopenStarted;
  if (store.rebuiltBecause) throw new Error(`the store was rebuilt on reopen: ${store.rebuiltBecause}`);
  tables = tablesOf(store);
  const keys = sampleKeys(job.receipts, job.reads);
  const readsPerSecond = await timedLookups(job.mode, keys, (key) => {
    const receipt = tables.receipts.get(key);
    return receipt && (tables.versions.get(receipt.reports[0]!.reportId) ?? 0) > 0;
  });
  const afterReads = memory();
  await store.close();
  return {
    mode: job.mode,
    receipts: job.receipts,
    encodedBytes,
    loadMs,
    loaded,
    diskBytes,
    reopenMs,
    readsPerSecond,
    afterReads,
  };
}

/** A raw engine as the side-by-side rows use it. */
interface RawEngine {
  writeBatch(batch: { key: string; value: Buffer }[]): Promise<void>;
  get(key: string): Buffer | undefined | Promise<Buffer | undefined>;
  close(): Promise<void>;
  diskBytes(): Promise<number>;
}

async function rawEngine(mode: ReceiptsMode, dir: string): Promise<RawEngine> {
  if (mode === 'lmdb-raw') {
    const db = open<Buffer, string>({ path: path.join(dir, 'lmdb'), encoding: 'binary' });
    return {
      writeBatch: async (batch) =>
        db.transactionSync(() => {
          for (const { key, value } of batch) void db.put(key, value);
        }),
      get: (key) => db.get(key),
      close: () => db.close(),
      diskBytes: () => folderBytes(path.join(dir, 'lmdb')),
    };
  }
  const db = new ClassicLevel<string, Buffer>(path.join(dir, 'level'), { valueEncoding: 'buffer' });
  await db.open();
  return {
    writeBatch: (batch) => db.batch(batch.map(({ key, value }) => ({ type: 'put' as const, key, value }))),
    get: (key) => db.get(key),
    close: () => db.close(),
    diskBytes: () => folderBytes(path.join(dir, 'level')),
  };
}

/** The engines side by side: the encoded receipt as the value, one transaction (or batch) per 2 000. */
async function measureRaw(job: ReceiptsJob, dir: string): Promise<ReceiptsResult> {
  const keys = sampleKeys(job.receipts, job.reads);
  const engine = await rawEngine(job.mode, dir);
  const { loadMs, encodedBytes } = await timedLoad(job.receipts, (batch) => engine.writeBatch(batch));
  const loaded = memory();
  // LevelDB has no synchronous read: its lookups are awaited, as a caller would have to; LMDB's are not.
  const readsPerSecond = await timedLookups(job.mode, keys, (key) => engine.get(key));
  const afterReads = memory();
  await engine.close();
  return {
    mode: job.mode,
    receipts: job.receipts,
    encodedBytes,
    loadMs,
    loaded,
    diskBytes: await engine.diskBytes(),
    readsPerSecond,
    afterReads,
  };
}

/** Receipts produced to a real topic, then read three ways: into Maps, into the store in full, and from its checkpoint. */
async function measureRebuild(job: ReceiptsJob, dir: string): Promise<ReceiptsResult> {
  const connection: KafkaConnection = {
    brokers: [...(job.brokers ?? ['127.0.0.1:9092'])],
    clientId: 'bench-receipts',
    topicPrefix: `bench-receipts-${Date.now()}.`,
  };
  await bootstrapTopics({ connection, topics: [pipelineTopics.bundleStatus], replicationFactor: 1 });
  const topic = deployedTopic(connection, pipelineTopics.bundleStatus.name);
  const producer = createRecordProducer(connection, 'bench-receipts');
  let encodedBytes = 0;
  const produce = async (from: number, to: number) => {
    for (let start = from; start < to; start += batchSize) {
      const records = [];
      for (let index = start; index < Math.min(to, start + batchSize); index++) {
        const receipt = syntheticReceipt(index);
        const value = codec.encode('BundleStatus', receipt);
        encodedBytes += value.length;
        records.push({ topic, key: receipt.bundleId, value });
      }
      await producer.send(records);
    }
  };
  try {
    await produce(0, job.receipts);
    // The baseline: a global table into Maps, as ReceiptBook read the topic before.
    const receipts = new Map<string, BundleStatus>();
    const mapStarted = performance.now();
    const table = new GlobalTable<BundleStatus>({
      name: 'bench-map',
      connection,
      topic,
      codec: recordCodec(codec, 'BundleStatus'),
      logger,
      keepRows: false,
      onChange: (key, value) => {
        if (value) receipts.set(key, value);
      },
    });
    await table.start();
    const mapLoadMs = performance.now() - mapStarted;
    await table.close();
    receipts.clear();

    const book = () => new ReceiptBook({ connection, topic, codec, logger, dir });
    const rebuildStarted = performance.now();
    const first = book();
    await first.start();
    const rebuildMs = performance.now() - rebuildStarted;
    const loaded = memory();
    await first.close();
    await produce(job.receipts, job.receipts + (job.tail ?? 0));
    const resumeStarted = performance.now();
    const second = book();
    await second.start();
    const resumeMs = performance.now() - resumeStarted;
    const last = syntheticReceipt(job.receipts + (job.tail ?? 0) - 1).bundleId;
    if (!second.receipt(last)) throw new Error('the tail was not read');
    await second.close();
    return {
      mode: job.mode,
      receipts: job.receipts,
      encodedBytes,
      loadMs: rebuildMs,
      loaded,
      mapLoadMs,
      rebuildMs,
      resumeMs,
    };
  } finally {
    await producer.close();
    await deletePrefixedTopics(connection, 'bench-receipts-cleanup');
  }
}

serveChildJob<ReceiptsJob, ReceiptsResult>(async (job) => {
  const dir = await mkdtemp(path.join(tmpdir(), `bench-receipts-${job.mode}-`));
  try {
    if (job.mode === 'map') return await measureMap(job);
    if (job.mode === 'lmdb-book') return await measureBook(job, dir);
    if (job.mode === 'rebuild') return await measureRebuild(job, dir);
    return await measureRaw(job, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
