// One measurement in a fresh process (so memory deltas are its own): load N known-list entries
// into either the hasher's compact KnownHashIndex or, as the baseline, the decoded rows a
// global table would keep (a Map of KnownHash objects), then time lookups.
import { createHash } from 'node:crypto';
import { KnownHashIndex } from '@triage/hash-lists';
import { formatPdqHash } from '@triage/matching';
import { createRng, generateClusteredHashes } from '@triage/matching/testing';
import type { Hashes, HashType, KnownHash } from '@triage/schemas';
import { serveChildJob } from '../lib/child-job.ts';

export interface KnownListsJob {
  mode: 'compact' | 'rows';
  entries: number;
  queries: number;
}

export interface KnownListsResult {
  mode: KnownListsJob['mode'];
  entries: number;
  loadMs: number;
  bytesPerEntry: number;
  matchP50Us: number;
  matchP99Us: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const used = () => {
  gc();
  const memory = process.memoryUsage();
  // `external` already includes array buffers (the typed arrays of the index).
  return memory.heapUsed + memory.external;
};

function hexOf(algorithm: string, n: number): string {
  return createHash(algorithm).update(`synthetic entry ${n}`).digest('hex');
}

function entryAt(n: number, pdqWords: Uint32Array, pdqCount: number): KnownHash {
  // 40 % MD5, 30 % SHA-1, 30 % PDQ: the mix of a VICS export with perceptual hashes added.
  const slot = n % 10;
  const hashType: HashType = slot < 4 ? 'MD5' : slot < 7 ? 'SHA1' : 'PDQ';
  const value =
    hashType === 'MD5'
      ? hexOf('md5', n)
      : hashType === 'SHA1'
        ? hexOf('sha1', n)
        : formatPdqHash(pdqWords, (n % pdqCount) * 8);
  return {
    listName: n % 3 === 0 ? 'hotline-bench' : 'police-bench',
    listVersion: '2026-11',
    hashType,
    value,
    category: n % 4,
    categoryLabel: null,
    source: 'vics-json',
    mediaId: `${n}`,
    mediaSize: 10_000 + n,
    series: null,
    tags: [],
    victimIdentified: null,
    offenderIdentified: null,
    isDistributed: null,
    photoDnaVerbatim: null,
    importedAt: 1_790_000_000_000,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

serveChildJob(async (job: KnownListsJob): Promise<KnownListsResult> => {
  const pdqCount = Math.ceil(job.entries * 0.3);
  const pdq = generateClusteredHashes({ count: pdqCount, seed: 7 });
  const before = used();
  const started = performance.now();
  const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50 });
  const rows = new Map<string, KnownHash>();
  for (let n = 0; n < job.entries; n++) {
    const entry = entryAt(n, pdq.words, pdqCount);
    const key = `${entry.listName}:${entry.hashType}:${entry.value}`;
    if (job.mode === 'compact') index.apply(key, entry);
    else rows.set(key, entry);
  }
  if (job.mode === 'compact') index.optimize();
  const loadMs = performance.now() - started;
  const bytesPerEntry = (used() - before) / job.entries;

  const rng = createRng(11);
  const timings: number[] = [];
  for (let q = 0; q < job.queries; q++) {
    const n = rng.int(job.entries * 2);
    const hashes: Hashes = {
      md5: hexOf('md5', n),
      sha1: hexOf('sha1', n),
      sha256: hexOf('sha256', n),
      pdq: formatPdqHash(pdq.words, (n % pdqCount) * 8),
      pdqQuality: 90,
      pdqDihedral: [],
      pdqMode: 'reference-no-exif-rotate',
      perceptualStatus: 'hashed',
      errorCode: null,
    };
    const t = performance.now();
    if (job.mode === 'compact') index.match(hashes);
    else
      for (const type of ['MD5', 'SHA1'] as const)
        rows.get(`police-bench:${type}:${type === 'MD5' ? hashes.md5 : hashes.sha1}`);
    timings.push((performance.now() - t) * 1000);
  }
  timings.sort((a, b) => a - b);
  const result: KnownListsResult = {
    mode: job.mode,
    entries: job.entries,
    loadMs,
    bytesPerEntry,
    matchP50Us: percentile(timings, 0.5),
    matchP99Us: percentile(timings, 0.99),
  };
  return result;
});
