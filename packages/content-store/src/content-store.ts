import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TriageError } from '@triage/errors';

export interface StoredContent {
  sha256: string;
  md5: string;
  sha1: string;
  size: number;
  /** False when the bytes were already stored (the same file sent again). */
  created: boolean;
}

export interface ContentStoreOptions {
  /** Root folder; files live under `<root>/sha256/<aa>/<bb>/<sha256>`. */
  root: string;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/**
 * Media stored once by sha256. Writes go to a temporary file that is fsynced and then linked
 * into place, so a reader never sees a partial file and a crash leaves only a stray temp file.
 * Only sha256 references leave this store: bytes never travel in messages or logs.
 */
export class ContentStore {
  readonly #root: string;

  constructor(options: ContentStoreOptions) {
    this.#root = options.root;
  }

  pathOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) {
      throw new TriageError('TRIAGE_RECORD_INVALID', 'not a lower-case hex sha256', {
        details: { length: sha256.length },
      });
    }
    return path.join(this.#root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** Streams `source` into the store, hashing as it goes; memory stays bounded whatever the size. */
  async put(source: Readable): Promise<StoredContent> {
    const tmpDir = path.join(this.#root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmpPath = path.join(tmpDir, randomUUID());
    const digests = { md5: createHash('md5'), sha1: createHash('sha1'), sha256: createHash('sha256') };
    let size = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        digests.md5.update(chunk);
        digests.sha1.update(chunk);
        digests.sha256.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, hashing, createWriteStream(tmpPath, { flags: 'wx' }));
      const handle = await open(tmpPath, 'r');
      await handle.sync().finally(() => handle.close());
      const sha256 = digests.sha256.digest('hex');
      const finalPath = this.pathOf(sha256);
      await mkdir(path.dirname(finalPath), { recursive: true });
      // link() fails if the file exists: the first writer wins and the content is the same.
      const created = await link(tmpPath, finalPath).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw error;
        },
      );
      if (created) await syncDirectory(path.dirname(finalPath));
      return { sha256, md5: digests.md5.digest('hex'), sha1: digests.sha1.digest('hex'), size, created };
    } finally {
      await rm(tmpPath, { force: true });
    }
  }

  /** Opens stored bytes; a missing file is `TRIAGE_MEDIA_MISSING`. */
  async open(sha256: string): Promise<Readable> {
    const filePath = this.pathOf(sha256);
    if (!(await this.has(sha256))) {
      throw new TriageError('TRIAGE_MEDIA_MISSING', `no stored content for sha256 ${sha256.slice(0, 12)}…`);
    }
    return createReadStream(filePath);
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  await handle.sync().finally(() => handle.close());
}
