// The hash-check service's side of the benchmark, in its own process: a list of N exact and M PDQ
// hashes in the service's KnownHashIndex and its app over that index on two ports (answer floor 0
// and the configured default) until the parent says stop; between HTTP batches the parent asks it
// to time the bare lookups of the same batch. Each HTTP batch is audited on a real (prefixed) Kafka
// topic, as in production.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditTrail } from '@triage/audit';
import { serveIndex } from '@triage/hash-check/testing';
import { type IndexedType, KnownHashIndex } from '@triage/hash-lists';
import { createHosterKey, withHosterKey, writeHostersFile } from '@triage/hosters';
import { createLogger } from '@triage/logging';
import { formatPdqHash } from '@triage/matching';
import { createRng, generateClusteredHashes, generateQueries } from '@triage/matching/testing';
import {
  bootstrapTopics,
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import type { HashType, KnownHash } from '@triage/schemas';

export interface HashCheckBenchJob {
  exact: number;
  pdq: number;
  /** Batch size -> batches timed. */
  batches: Record<number, number>;
  brokers: string[];
  defaultFloorMs: number;
}

/** Parent -> worker, after the job: time the bare lookups of one batch, or stop. */
export type ParentMessage = { type: 'bare'; size: number; index: number } | { type: 'stop' };

/** Worker -> parent. */
export type WorkerMessage =
  | {
      type: 'ready';
      buildMs: number;
      urls: { floor0: string; floorDefault: string };
      key: string;
      bodies: Record<number, string[]>;
    }
  | { type: 'bare'; ms: number; matches: number }
  | { type: 'done'; auditEvents: number }
  | { type: 'error'; message: string };

const exactTypes: [IndexedType, HashType, string][] = [
  ['MD5', 'MD5', 'md5'],
  ['SHA1', 'SHA1', 'sha1'],
  ['SHA256', 'SHA256', 'sha256'],
];

/** Exact entry n: 40 % MD5, 30 % SHA-1, 30 % SHA-256 of a synthetic name (n beyond the list: unlisted). */
function exactAt(n: number): { type: IndexedType; hashType: HashType; value: string } {
  const slot = n % 10;
  const [type, hashType, algorithm] = exactTypes[slot < 4 ? 0 : slot < 7 ? 1 : 2]!;
  return { type, hashType, value: createHash(algorithm).update(`listed file ${n}`).digest('hex') };
}

function entry(hashType: HashType, value: string, n: number): KnownHash {
  return {
    listName: 'police-bench',
    listVersion: '2026-12',
    hashType,
    value,
    category: 1 + (n % 3),
    categoryLabel: null,
    source: 'csv',
    mediaId: null,
    mediaSize: null,
    series: null,
    tags: [],
    victimIdentified: null,
    offenderIdentified: null,
    isDistributed: null,
    photoDnaVerbatim: null,
    importedAt: 1_790_000_000_000,
  };
}

type Query = { type: 'md5' | 'sha1' | 'sha256' | 'pdq'; value: string };

function send(message: WorkerMessage): void {
  process.send?.(message);
}

async function run(job: HashCheckBenchJob): Promise<void> {
  const started = performance.now();
  const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 0 });
  for (let n = 0; n < job.exact; n++) {
    const { hashType, value } = exactAt(n);
    index.apply(`police-bench:${hashType}:${value}`, entry(hashType, value, n));
  }
  const pdq = generateClusteredHashes({ count: job.pdq, seed: 20261205 });
  for (let n = 0; n < job.pdq; n++) {
    const value = formatPdqHash(pdq.words, n * 8);
    index.apply(`police-bench:PDQ:${value}`, entry('PDQ', value, n));
  }
  index.optimize();
  const buildMs = performance.now() - started;

  // Batches: half exact (half of them listed), half PDQ (half near-duplicates of listed rows, 0-16 bits).
  const rng = createRng(1205);
  const batches = new Map<number, Query[][]>();
  for (const [sizeText, count] of Object.entries(job.batches)) {
    const size = Number(sizeText);
    const pdqQueries = generateQueries(pdq, { count: Math.ceil((size * count) / 2), seed: size });
    let p = 0;
    let q = 0;
    const list: Query[][] = [];
    for (let b = 0; b < count; b++) {
      const batch: Query[] = [];
      for (let i = 0; i < size; i++) {
        // Every other query of the whole run, so batches of one alternate too.
        if (q++ % 2 === 1) {
          batch.push({ type: 'pdq', value: formatPdqHash(pdqQueries.words, p++ * 8) });
          continue;
        }
        const n = rng.int(job.exact * 2);
        const exact = exactAt(n);
        batch.push({
          type: exact.type === 'SHA1' ? 'sha1' : exact.type === 'MD5' ? 'md5' : 'sha256',
          value: exact.value,
        });
      }
      list.push(batch);
    }
    batches.set(size, list);
  }

  // The bare index: the same lookups, in process, no HTTP, no policy, no audit. One untimed pass
  // first (JIT, caches), as the HTTP side gets a warm-up batch; then each batch is timed when the
  // parent asks, right before it sends the same batch over HTTP, so both see the same machine load.
  const typeOf = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256', pdq: 'PDQ' } as const;
  const lookupBatch = (batch: readonly Query[]) => {
    let matches = 0;
    for (const query of batch) if (index.lookup(typeOf[query.type], query.value, 31).length > 0) matches++;
    return matches;
  };
  for (const list of batches.values()) for (const batch of list) lookupBatch(batch);

  const prefix = `bench-hc-${randomUUID().slice(0, 8)}.`;
  const connection: KafkaConnection = {
    brokers: job.brokers,
    clientId: 'bench-hash-check',
    topicPrefix: prefix,
  };
  await bootstrapTopics({ connection, topics: [pipelineTopics.audit], replicationFactor: 1 });
  const logger = createLogger({ name: 'bench-hash-check', level: 'warn' });
  const producer = createRecordProducer(connection, 'bench-hash-check-audit');
  let auditEvents = 0;
  const trail = new AuditTrail({
    producer,
    topic: deployedTopic(connection, pipelineTopics.audit.name),
    writerId: 'bench-hash-check',
    logger,
  });
  const audit = {
    record: async (input: Parameters<AuditTrail['record']>[0]) => {
      auditEvents++;
      return trail.record(input);
    },
  };
  const scratch = await mkdtemp(path.join(tmpdir(), 'bench-hash-check-'));
  const { key, sha256 } = createHosterKey();
  const hostersFile = path.join(scratch, 'hosters.json');
  const hoster = withHosterKey(
    { hosters: [] },
    'bench-hoster',
    { id: 'k1', sha256 },
    { lists: ['police-bench'], pdqMaxDistance: 31 },
  );
  await writeHostersFile(hostersFile, {
    hosters: hoster.hosters.map((h) => ({ ...h, rateLimit: { max: 1_000_000, timeWindow: 60_000 } })),
  });
  const maxBatch = Math.max(...Object.keys(job.batches).map(Number));
  const floor0 = await serveIndex({ index, hostersFile, audit, answerFloorMs: 0, maxBatch });
  const floorDefault = await serveIndex({
    index,
    hostersFile,
    audit,
    answerFloorMs: job.defaultFloorMs,
    maxBatch,
  });
  const bodies: Record<number, string[]> = {};
  for (const [size, list] of batches) bodies[size] = list.map((hashes) => JSON.stringify({ hashes }));
  send({
    type: 'ready',
    buildMs,
    urls: { floor0: floor0.url, floorDefault: floorDefault.url },
    key,
    bodies,
  });

  await new Promise<void>((resolve) => {
    const onMessage = (message: ParentMessage) => {
      if (message.type === 'stop') {
        process.off('message', onMessage);
        resolve();
        return;
      }
      const batch = batches.get(message.size)![message.index]!;
      const t0 = performance.now();
      const matches = lookupBatch(batch);
      send({ type: 'bare', ms: performance.now() - t0, matches });
    };
    process.on('message', onMessage);
  });
  await floor0.close();
  await floorDefault.close();
  await producer.close();
  await deletePrefixedTopics(connection, 'bench-hash-check-cleanup');
  await rm(scratch, { recursive: true, force: true });
  send({ type: 'done', auditEvents });
}

process.once('message', (job: HashCheckBenchJob) => {
  run(job).catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
  });
});
