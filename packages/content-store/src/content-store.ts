import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, link, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TriageError } from '@triage/errors';
import {
  createEncryptor,
  decryptSegments,
  maxHeaderLength,
  parseHeader,
  plaintextSize,
} from './encrypted-format.ts';
import { type ContentStoreOptions, type KeyRing, resolveKeyRing } from './options.ts';
import type { StagedContent, StoredContent } from './types.ts';

const sha256Pattern = /^[0-9a-f]{64}$/;
const headLength = 512;
const stagePrefix = 'stage-';

interface StagedFile {
  readonly tmpPath: string;
  discarded: boolean;
  commit?: Promise<{ created: boolean }>;
}

/**
 * Media stored once by sha256 (of the plaintext). Writes are staged: streamed to a temporary
 * file and hashed on the way, then fsynced and linked into place on commit, so a reader never sees
 * a partial file, a rejected bundle leaves nothing, and a crash leaves only a stray temp file
 * (`sweepStaging`). With `encryption`, files are AES-256-GCM in authenticated segments.
 * Only sha256 references leave this store: bytes never travel in messages or logs.
 */
export class ContentStore {
  readonly #root: string;
  readonly #tmpDir: string;
  readonly #keyRing: KeyRing | null;
  readonly #staged = new WeakMap<StagedContent, StagedFile>();
  /** Temp files this instance is writing or holds staged: a sweep never takes them. */
  readonly #active = new Set<string>();
  /** Directories whose entry in their parent this instance has already fsynced. */
  readonly #durableDirs = new Set<string>();

  constructor(options: ContentStoreOptions) {
    this.#root = path.resolve(options.root);
    this.#tmpDir = path.join(this.#root, 'tmp');
    this.#keyRing = resolveKeyRing(options.encryption);
  }

  pathOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) {
      throw new TriageError('TRIAGE_RECORD_INVALID', 'not a lower-case hex sha256', {
        details: { length: sha256.length },
      });
    }
    return path.join(this.#root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  /** Stages then commits: the bytes are durable in the store when this resolves. */
  async put(source: Readable): Promise<StoredContent> {
    const staged = await this.stage(source);
    try {
      const { created } = await this.commit(staged);
      return { sha256: staged.sha256, md5: staged.md5, sha1: staged.sha1, size: staged.size, created };
    } finally {
      await this.discard(staged);
    }
  }

  /**
   * Streams `source` to a temp file under `<root>/tmp` (encrypted when configured), hashing as it
   * goes. Nothing is visible (or fsynced) until `commit`. Memory stays bounded
   * whatever the size. If the source fails, the temp file is removed and the error rethrown.
   */
  async stage(source: Readable): Promise<StagedContent> {
    await mkdir(this.#tmpDir, { recursive: true });
    const tmpPath = path.join(this.#tmpDir, `${stagePrefix}${randomUUID()}`);
    this.#active.add(tmpPath);
    const md5 = createHash('md5');
    const sha1 = createHash('sha1');
    const sha256 = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        md5.update(chunk);
        sha1.update(chunk);
        sha256.update(chunk);
        if (headBytes < headLength) {
          const take = chunk.subarray(0, headLength - headBytes);
          head.push(Buffer.from(take));
          headBytes += take.length;
        }
        done(null, chunk);
      },
    });
    // Not fsynced here but on commit: a refused bundle never pays for it, and a bundle's files
    // are synced together rather than one after another as their parts arrive.
    const file = createWriteStream(tmpPath, { flags: 'wx' });
    try {
      if (this.#keyRing === null) await pipeline(source, hashing, file);
      else {
        const encryptor = createEncryptor(this.#keyRing.writeKey, this.#keyRing.writeKeyId);
        await pipeline(source, hashing, encryptor, file);
      }
    } catch (error) {
      this.#active.delete(tmpPath);
      await rm(tmpPath, { force: true });
      throw error;
    }
    const staged: StagedContent = Object.freeze({
      sha256: sha256.digest('hex'),
      md5: md5.digest('hex'),
      sha1: sha1.digest('hex'),
      size,
      head: Buffer.concat(head, headBytes),
    });
    this.#staged.set(staged, { tmpPath, discarded: false });
    return staged;
  }

  /**
   * Fsyncs staged bytes, links them into place under their sha256 and fsyncs the directories, then removes the
   * temp file. The first writer wins; `created` is false when the content was already stored (the
   * bytes are the same). Committing the same staged content again gives the same answer.
   */
  async commit(staged: StagedContent): Promise<{ created: boolean }> {
    const file = this.#stagedFile(staged);
    if (file.discarded && file.commit === undefined) {
      throw new TriageError('TRIAGE_INTERNAL', 'staged content was discarded before commit');
    }
    file.commit ??= this.#link(staged.sha256, file.tmpPath);
    return file.commit;
  }

  /** Removes the temp file of content not (or already) committed. Safe to call more than once. */
  async discard(staged: StagedContent): Promise<void> {
    const file = this.#stagedFile(staged);
    file.discarded = true;
    // After a commit (or a failed one) the temp file may still be there: remove it either way.
    if (file.commit !== undefined) await file.commit.catch(() => undefined);
    await rm(file.tmpPath, { force: true });
    this.#active.delete(file.tmpPath);
  }

  /**
   * Removes staged temp files older than `olderThanMs` that a crashed process left behind (temp
   * files this instance still holds are kept). Returns how many it removed.
   */
  async sweepStaging(olderThanMs: number): Promise<number> {
    const names = await readdir(this.#tmpDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of names) {
      const tmpPath = path.join(this.#tmpDir, name);
      if (!name.startsWith(stagePrefix) || this.#active.has(tmpPath)) continue;
      const info = await stat(tmpPath).catch(() => null);
      if (info === null || !info.isFile() || info.mtimeMs >= cutoff) continue;
      await rm(tmpPath, { force: true });
      removed += 1;
    }
    return removed;
  }

  /**
   * Opens stored bytes as a stream of plaintext; a missing file is `TRIAGE_MEDIA_MISSING`. In an
   * encrypted store the header is checked here (unknown key id, not encrypted:
   * `TRIAGE_MEDIA_DECRYPT_FAILED`), and the stream fails with that code at the first segment
   * that does not authenticate, before releasing any of its bytes.
   */
  async open(sha256: string): Promise<Readable> {
    const handle = await this.#openStored(sha256);
    if (this.#keyRing === null) return handle.createReadStream();
    try {
      return await this.#openEncrypted(handle, this.#keyRing);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Plaintext size of stored content, from the file system (and, encrypted, the file header)
   * without reading the content: readers cap what they load before they load it. Missing:
   * `TRIAGE_MEDIA_MISSING`; an encrypted store's unusable header: `TRIAGE_MEDIA_DECRYPT_FAILED`.
   */
  async size(sha256: string): Promise<number> {
    const handle = await this.#openStored(sha256);
    try {
      const { size } = await handle.stat();
      if (this.#keyRing === null) return size;
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(maxHeaderLength), 0, maxHeaderLength, 0);
      return plaintextSize(parseHeader(buffer.subarray(0, bytesRead)), size);
    } finally {
      await handle.close();
    }
  }

  async #openStored(sha256: string): Promise<FileHandle> {
    return open(this.pathOf(sha256), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        throw new TriageError('TRIAGE_MEDIA_MISSING', `no stored content for sha256 ${sha256.slice(0, 12)}…`);
      }
      throw error;
    });
  }

  async #openEncrypted(handle: FileHandle, keyRing: KeyRing): Promise<Readable> {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(maxHeaderLength), 0, maxHeaderLength, 0);
    const header = parseHeader(buffer.subarray(0, bytesRead));
    const key = keyRing.keys.get(header.keyId);
    if (key === undefined) {
      throw new TriageError(
        'TRIAGE_MEDIA_DECRYPT_FAILED',
        `stored file was written with key id "${header.keyId}", which is not configured`,
        {
          details: { keyId: header.keyId },
        },
      );
    }
    const body = handle.createReadStream({
      start: header.bytes.length,
      highWaterMark: header.segmentSize + 16,
    });
    return Readable.from(decryptSegments(header, key, body), { objectMode: false });
  }

  #stagedFile(staged: StagedContent): StagedFile {
    const file = this.#staged.get(staged);
    if (file === undefined) throw new TriageError('TRIAGE_INTERNAL', 'content was not staged by this store');
    return file;
  }

  async #link(sha256: string, tmpPath: string): Promise<{ created: boolean }> {
    const finalPath = this.pathOf(sha256);
    const directory = path.dirname(finalPath);
    await mkdir(directory, { recursive: true });
    const tempGone = (error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT'
        ? new TriageError('TRIAGE_INTERNAL', 'the staged temp file is gone (swept as stale?)', {
            cause: error,
          })
        : error;
    // The bytes are durable before their name is: a crash never leaves a short file in the store.
    if (!(await exists(finalPath))) {
      await syncFile(tmpPath).catch((error: NodeJS.ErrnoException) => {
        throw tempGone(error);
      });
    }
    // link() fails if the file exists: the first writer wins and the content is the same.
    const created = await link(tmpPath, finalPath).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw tempGone(error);
      },
    );
    // Synced even when another writer linked it: that writer may not have synced yet.
    await syncDirectory(directory);
    await this.#syncAncestors(directory);
    await rm(tmpPath, { force: true });
    this.#active.delete(tmpPath);
    return { created };
  }

  /** Makes the `<aa>/<bb>` directories' own entries durable, once per directory per instance. */
  async #syncAncestors(directory: string): Promise<void> {
    let child = directory;
    while (child !== this.#root && !this.#durableDirs.has(child)) {
      const parent = path.dirname(child);
      await syncDirectory(parent);
      this.#durableDirs.add(child);
      if (parent === child) break;
      child = parent;
    }
  }
}

async function exists(filePath: string): Promise<boolean> {
  return stat(filePath).then(
    () => true,
    () => false,
  );
}

async function syncFile(filePath: string): Promise<void> {
  const handle = await open(filePath, 'r+');
  await handle.sync().finally(() => handle.close());
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  await handle.sync().finally(() => handle.close());
}
