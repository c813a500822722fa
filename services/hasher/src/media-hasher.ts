import { ContentStore, type ContentStoreOptions } from '@triage/content-store';
import { type ErrorCode, isTriageError, TriageError } from '@triage/errors';
import { hashesRecord, hashMedia } from '@triage/hashing';
import type { Hashes } from '@triage/schemas';
import { Piscina } from 'piscina';

/** Hashes one stored file, by sha256. A missing file is `TRIAGE_MEDIA_MISSING`. */
export interface MediaHasher {
  hash(sha256: string): Promise<Hashes>;
  close(): Promise<void>;
}

export interface MediaHasherOptions {
  /** Where media is and, for an encrypted store, its keys (never logged). */
  contentStore: ContentStoreOptions;
  maxPixels: number;
}

/** What a hashing worker thread receives (structured clone: key Buffers arrive as Uint8Arrays). */
export interface HashingWorkerData {
  contentStore: ContentStoreOptions;
  maxPixels: number;
}

/** What crosses the thread boundary: plain data, since error classes do not survive it. */
export type HashJobResult = { ok: true; hashes: Hashes } | { ok: false; code: ErrorCode; message: string };

/** Hashes a stored file (exact hashes and PDQ) as the Avro `Hashes` record. */
export async function hashStoredMedia(
  store: ContentStore,
  sha256: string,
  maxPixels: number,
): Promise<HashJobResult> {
  try {
    const result = await hashMedia(await store.open(sha256), { maxPixels });
    return { ok: true, hashes: hashesRecord(result) };
  } catch (error) {
    if (isTriageError(error)) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

function unwrap(result: HashJobResult): Hashes {
  if (result.ok) return result.hashes;
  throw new TriageError(result.code, result.message);
}

/** Hashing on the calling thread: for tools and tests. */
export function createInProcessMediaHasher(options: MediaHasherOptions): MediaHasher {
  const store = new ContentStore(options.contentStore);
  return {
    hash: async (sha256) => unwrap(await hashStoredMedia(store, sha256, options.maxPixels)),
    close: async () => undefined,
  };
}

/**
 * Hashing on a pool of worker threads. Decoding and PDQ are CPU-bound (docs/pdq.md: ~0.5 s for a
 * 12 MP photo); off the main thread they use every core and never stall the consumer's
 * heartbeats or the commits of other partitions.
 */
export function createPooledMediaHasher(options: MediaHasherOptions & { threads: number }): MediaHasher {
  const pool = new Piscina({
    filename: new URL('./hashing-worker.ts', import.meta.url).href,
    minThreads: options.threads,
    maxThreads: options.threads,
    workerData: {
      contentStore: options.contentStore,
      maxPixels: options.maxPixels,
    } satisfies HashingWorkerData,
  });
  return {
    hash: async (sha256) => unwrap((await pool.run(sha256)) as HashJobResult),
    close: () => pool.destroy(),
  };
}
