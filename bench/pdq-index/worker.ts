/**
 * Child process for one measurement (forked by index.ts with --expose-gc): a fresh heap per job, so
 * the RSS growth and peak belong to the structure measured.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { ExactHashSet, PdqIndex, type PdqMatch, pdqWords } from '@triage/matching';
import {
  createRng,
  generateClusteredHashes,
  generateQueries,
  LinearScan,
  randomPdqHash,
} from '@triage/matching/testing';
import { sendProgress, serveChildJob } from '../lib/child-job.ts';
import type { DataShape, ExactJob, ExactResult, IndexJob, IndexResult, Job } from './jobs.ts';
import { summarizeLatency } from './latency.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const progress = (message: string) => sendProgress(message);

/**
 * Settled memory: after full GCs a tick apart (array buffers dropped by one GC are released after it,
 * so the arrays a table outgrew would otherwise still count).
 */
async function memory() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapAndBuffers: usage.heapUsed + usage.external };
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const value = run();
  return [value, performance.now() - start];
}

function sameMatches(a: readonly PdqMatch[], b: readonly PdqMatch[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (a[i]!.id !== b[i]!.id || a[i]!.distance !== b[i]!.distance || a[i]!.variant !== b[i]!.variant)
      return false;
  return true;
}

/** Times `run(i)` for every query, `passes` times over the whole list. */
function timePasses(count: number, passes: number, run: (i: number) => unknown): number[][] {
  const all: number[][] = [];
  for (let p = 0; p < passes; p++) {
    const times = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      run(i);
      times[i] = performance.now() - start;
    }
    all.push(times);
  }
  return all;
}

function dataShape(familySizes: Uint32Array): DataShape {
  let familyRows = 0;
  let largestFamily = 0;
  let familiesOver1000 = 0;
  for (const size of familySizes) {
    familyRows += size;
    largestFamily = Math.max(largestFamily, size);
    familiesOver1000 += size >= 1000 ? 1 : 0;
  }
  return { families: familySizes.length, familyRows, largestFamily, familiesOver1000 };
}

async function runIndex(job: IndexJob): Promise<IndexResult> {
  const loadAtStart = os.loadavg()[0]!;
  const [data, generateMs] = time(() => generateClusteredHashes({ count: job.hashes, seed: job.seed }));
  const ids = Uint32Array.from({ length: job.hashes }, (_, i) => i);
  await progress(`${job.hashes} hashes generated in ${(generateMs / 1000).toFixed(1)} s`);

  const before = await memory();
  const churnRows = Math.round(job.hashes * job.churn);
  const index = new PdqIndex({ initialCapacity: job.hashes + churnRows, maxDistance: job.maxDistance });
  const [, addMs] = time(() => index.addMany(ids, data.words));
  const [, buildMs] = time(() => index.optimize());
  const after = await memory();
  const stats = index.stats();
  await progress(`index built in ${((addMs + buildMs) / 1000).toFixed(1)} s`);

  const d = job.maxDistance;
  const queries = generateQueries(data, { count: job.queries, seed: job.seed + 1, hitFraction: 0.5 });
  const single = (i: number) => queries.words.subarray(i * pdqWords, i * pdqWords + pdqWords);
  // The hasher's query: the hash and 7 dihedral variants, which are ~128 bits from it (unrelated
  // hashes model them); the near-duplicate sits at a different variant position each time.
  const rng = createRng(job.seed + 2);
  const variantSets = Array.from({ length: job.variantQueries }, (_, i) =>
    Array.from({ length: 8 }, (_, v) => {
      if (v === i % 8) return single(i).slice();
      const other = new Uint32Array(pdqWords);
      randomPdqHash(rng, other, 0);
      return other;
    }),
  );

  for (let i = 0; i < Math.min(200, job.queries); i++) index.query([single(i)], d); // warm-up (JIT)
  let matchTotal = 0;
  let withMatch = 0;
  for (let i = 0; i < job.queries; i++) {
    const found = index.query([single(i)], d).length;
    matchTotal += found;
    withMatch += found > 0 ? 1 : 0;
  }
  const singlePasses = timePasses(job.queries, job.passes, (i) => index.query([single(i)], d));
  const variantPasses = timePasses(job.variantQueries, job.passes, (i) => index.query(variantSets[i]!, d));
  await progress('index queries timed; linear scan next');

  const linear = new LinearScan(data.words, ids);
  let identical = 0;
  let compared = 0;
  const linearSingle = timePasses(job.linearQueries, 1, (i) => {
    const expected = linear.query([single(i)], d);
    compared++;
    identical += sameMatches(index.query([single(i)], d), expected) ? 1 : 0;
  });
  const linearVariants = timePasses(job.linearVariantQueries, 1, (i) => {
    const expected = linear.query(variantSets[i]!, d);
    compared++;
    identical += sameMatches(index.query(variantSets[i]!, d), expected) ? 1 : 0;
  });
  await progress(`linear scan done: ${identical}/${compared} identical; updates next`);

  // Updates after the build: new rows (near-duplicate families too) arrive in batches between
  // queries, which index them (tail, segments, merges); then as many rows are removed.
  const extra = generateClusteredHashes({ count: churnRows, seed: job.seed + 3 });
  const [, updateMs] = time(() => {
    const batch = 1000;
    for (let start = 0; start < churnRows; start += batch) {
      const end = Math.min(churnRows, start + batch);
      index.addMany(
        Uint32Array.from({ length: end - start }, (_, k) => job.hashes + start + k),
        extra.words.subarray(start * pdqWords, end * pdqWords),
      );
      index.query([single(start % job.queries)], d);
    }
    // Distinct rows spread over the original list.
    for (let k = 0; k < churnRows; k++) index.remove(Math.floor((k * job.hashes) / churnRows));
  });
  const updated = index.stats();
  const afterCount = Math.min(job.queries, 1000);
  const afterPasses = timePasses(afterCount, job.passes, (i) => index.query([single(i)], d));

  const toLatency = (times: number[][]) => (times[0]!.length > 0 ? summarizeLatency(times) : emptyLatency);
  return {
    kind: 'index',
    hashes: job.hashes,
    data: dataShape(data.familySizes),
    generateMs,
    addMs,
    buildMs,
    indexBytes: stats.indexBytes,
    storeBytes: stats.storeBytes,
    idTableBytes: stats.idTableBytes,
    memoryBytes: index.memoryBytes(),
    rssDeltaBytes: after.rss - before.rss,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    single: toLatency(singlePasses),
    variants: toLatency(variantPasses),
    linearSingle: toLatency(linearSingle),
    linearVariants: toLatency(linearVariants),
    meanMatches: matchTotal / job.queries,
    hitShare: withMatch / job.queries,
    recall: { identical, compared },
    afterUpdates: {
      added: churnRows,
      removed: job.hashes + churnRows - updated.entries,
      segments: updated.segments.length,
      tailRows: updated.tailRows,
      maintenanceMs: updateMs,
      single: toLatency(afterPasses),
    },
    loadAverage: [loadAtStart, os.loadavg()[0]!],
  };
}

const emptyLatency = { count: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };

async function runExact(job: ExactJob): Promise<ExactResult> {
  // Raw digests up front; each insert makes its own hex string, as a decoded record would.
  const digests = Buffer.alloc(job.hashes * 16);
  for (let i = 0; i < job.hashes; i++)
    createHash('md5')
      .update(`entry-${i}`)
      .digest()
      .copy(digests, i * 16);
  const hexAt = (i: number) => digests.toString('hex', i * 16, i * 16 + 16);
  const probes = Array.from({ length: job.lookups }, (_, k) =>
    k % 2 === 0 ? hexAt((k * 7919) % job.hashes) : createHash('md5').update(`miss-${k}`).digest('hex'),
  );
  await progress(`${job.hashes} MD5 digests ready (${job.store})`);

  const before = await memory();
  let lookup: (hex: string) => number;
  let reportedBytes: number | undefined;
  let buildMs: number;
  if (job.store === 'exact-hash-set') {
    const set = new ExactHashSet({ algorithm: 'md5' });
    [, buildMs] = time(() => {
      for (let i = 0; i < job.hashes; i++) set.add(hexAt(i), i);
    });
    reportedBytes = set.memoryBytes();
    lookup = (hex) => set.get(hex).length;
  } else {
    const map = new Map<string, number[]>();
    [, buildMs] = time(() => {
      for (let i = 0; i < job.hashes; i++) map.set(hexAt(i), [i]);
    });
    lookup = (hex) => map.get(hex)?.length ?? 0;
  }
  const after = await memory();
  let found = 0;
  const [, lookupMs] = time(() => {
    for (const hex of probes) found += lookup(hex);
  });
  if (found !== job.lookups / 2) throw new Error(`expected ${job.lookups / 2} hits, got ${found}`);
  return {
    kind: 'exact',
    store: job.store,
    hashes: job.hashes,
    buildMs,
    reportedBytes,
    heapAndBuffersDeltaBytes: after.heapAndBuffers - before.heapAndBuffers,
    rssDeltaBytes: after.rss - before.rss,
    lookupsPerSecond: job.lookups / (lookupMs / 1000),
  };
}

serveChildJob<Job, IndexResult | ExactResult>((job) =>
  job.kind === 'index' ? runIndex(job) : runExact(job),
);
