import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BundleLimits, type PackageCollector, readZipPackage, readZipSource } from '@triage/bundles';
import { createPrivateFile, EphemeralCipher, makePrivateDir, removeStaleFiles } from '@triage/content-store';
import { TriageError } from '@triage/errors';

const spoolPrefix = 'bundle-';

export interface ZipSpoolOptions {
  /** Folder of the spooled ZIPs (made 0700; each file 0600). */
  dir: string;
  /**
   * Encrypt each spool under a key of its own held in memory only (on when the content store
   * encrypts at rest): a crash leaves bytes nothing can read, which the sweep removes.
   */
  encrypt: boolean;
  /**
   * A ZIP that ends within this many bytes is read from memory and never touches the disk (no
   * spool file to write, encrypt, read back and remove); a larger one is spooled from its first
   * byte on. Heap: at most this much per ZIP upload in flight.
   */
  memoryBytes: number;
}

/** A ZIP body in memory or on disk, read once by the package reader, then removed. */
export interface SpooledZip {
  /** Bytes of the ZIP (plaintext, whatever lies on disk). */
  readonly size: number;
  /** Reads the package into the collector (random access: the ZIP's directory is at its end). */
  readInto(collector: PackageCollector, limits: BundleLimits): Promise<void>;
  remove(): Promise<void>;
}

/**
 * ZIP uploads spooled to disk while they are read (ZIP's directory is at its end), refused past
 * maxBundleBytes, encrypted when at-rest encryption is on. The spools this instance is using are
 * known, so a periodic `sweep` takes only leftovers.
 */
export class ZipSpool {
  readonly #options: ZipSpoolOptions;
  readonly #active = new Set<string>();

  constructor(options: ZipSpoolOptions) {
    this.#options = options;
  }

  get dir(): string {
    return this.#options.dir;
  }

  /**
   * Reads `source` into memory while it fits `memoryBytes`, else spools it; on any failure (the
   * limit, a broken upload) the file is removed first.
   */
  async write(source: NodeJS.ReadableStream, limits: BundleLimits): Promise<SpooledZip> {
    const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const head: Buffer[] = [];
    let headBytes = 0;
    // A body over the bundle limit goes the spool's way, which refuses it.
    const memoryBytes = Math.min(this.#options.memoryBytes, limits.maxBundleBytes);
    for (;;) {
      const next = await chunks.next();
      if (next.done) return inMemory(Buffer.concat(head, headBytes));
      head.push(next.value);
      headBytes += next.value.length;
      if (headBytes > memoryBytes) break;
    }
    // The bytes read so far, then the rest, as one stream to the spool file.
    const rest = Readable.from(
      (async function* () {
        yield* head;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      })(),
    );
    return this.#spool(rest, limits);
  }

  async #spool(source: NodeJS.ReadableStream, limits: BundleLimits): Promise<SpooledZip> {
    await makePrivateDir(this.#options.dir);
    const file = path.join(this.#options.dir, `${spoolPrefix}${randomUUID()}.zip`);
    this.#active.add(file);
    const remove = async () => {
      await rm(file, { force: true });
      this.#active.delete(file);
    };
    const cipher = this.#options.encrypt ? new EphemeralCipher() : null;
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limits.maxBundleBytes) {
          done(
            new TriageError('TRIAGE_BUNDLE_TOO_LARGE', `the body is over ${limits.maxBundleBytes} bytes`, {
              pointer: '/body',
              details: { size },
            }),
          );
          return;
        }
        done(null, chunk);
      },
    });
    try {
      const out = await createPrivateFile(file);
      if (cipher === null) await pipeline(source, counter, out);
      else await pipeline(source, counter, cipher.encryptor(), out);
    } catch (error) {
      await remove();
      throw error;
    }
    return {
      size,
      remove,
      async readInto(collector, readLimits) {
        if (cipher === null) return readZipPackage(file, collector, readLimits);
        const reader = await cipher.open(file);
        try {
          await readZipSource(
            { size: reader.size, readRange: (start, end) => reader.rangeStream(start, end) },
            collector,
            readLimits,
          );
        } finally {
          await reader.close();
        }
      },
    };
  }

  /**
   * Removes spooled ZIPs that no upload of this instance is using and that are older than
   * `olderThanMs` by their last write (another instance sharing the folder keeps writing its
   * own). Returns how many it removed.
   */
  sweep(olderThanMs: number): Promise<number> {
    return removeStaleFiles({
      dir: this.#options.dir,
      prefix: spoolPrefix,
      olderThanMs,
      inUse: this.#active,
    });
  }
}

/** A ZIP read from memory (under `memoryBytes`: the body limit is far above it). */
function inMemory(zip: Buffer): SpooledZip {
  return {
    size: zip.length,
    remove: async () => undefined,
    readInto: (collector, limits) =>
      readZipSource(
        { size: zip.length, readRange: (start, end) => Readable.from([zip.subarray(start, end)]) },
        collector,
        limits,
      ),
  };
}
