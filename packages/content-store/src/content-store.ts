import { createHash, randomUUID } from 'node:crypto';
import { type FileHandle, link, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TriageError } from '@triage/errors';
import { createEncryptor, maxHeaderLength, parseHeader, plaintextSize } from './encrypted-format.ts';
import { type ContentStoreOptions, type KeyRing, resolveKeyRing } from './options.ts';
import { createPrivateFile, makePrivateDir, removeStaleFiles } from './private-files.ts';
import { SealedFileReader } from './sealed-file-reader.ts';
import type { StagedContent, StoredContent } from './types.ts';

const sha256Pattern = /^[0-9a-f]{64}$/;
const headLength = 512;
const stagePrefix = 'stage-';
const withdrawnPattern = /^([0-9a-f]{64})-[0-9a-f-]{36}$/;

/** A stored file moved out of its address by `withdraw`, until `restore` or `remove` decides. */
export interface WithdrawnContent {
  readonly sha256: string;
  /** When a commit last used the file (its mtime: `commit` touches a file it finds stored). */
  readonly committedAtMs: number;
  readonly path: string;
}

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

  /** Root and tmp made owner-only, once per instance. */
  #prepared: Promise<void> | undefined;

  constructor(options: ContentStoreOptions) {
    this.#root = path.resolve(options.root);
    this.#tmpDir = path.join(this.#root, 'tmp');
    this.#keyRing = resolveKeyRing(options.encryption);
  }

  /** True when new files are encrypted at rest. */
  get encrypted(): boolean {
    return this.#keyRing !== null;
  }

  /** The root folder, for tools that walk the store (`triage media encrypt`). */
  get root(): string {
    return this.#root;
  }

  #prepare(): Promise<void> {
    this.#prepared ??= makePrivateDir(this.#root).then(() => makePrivateDir(this.#tmpDir));
    return this.#prepared;
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
    await this.#prepare();
    const tmpPath = path.join(this.#tmpDir, `${stagePrefix}${randomUUID()}`);
    this.#active.add(tmpPath);
    const md5 = createHash('md5');
    const sha1 = createHash('sha1');
    const sha256 = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    let sha256Hex = '';
    const hashing = new Transform({
      // Before the encryptor's own flush: the final segment binds this digest.
      flush(done) {
        sha256Hex = sha256.digest('hex');
        done();
      },
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
    try {
      const file = await createPrivateFile(tmpPath);
      if (this.#keyRing === null) await pipeline(source, hashing, file);
      else {
        const encryptor = createEncryptor(this.#keyRing.writeKey, this.#keyRing.writeKeyId, {
          boundSha256: () => sha256Hex,
        });
        await pipeline(source, hashing, encryptor, file);
      }
    } catch (error) {
      this.#active.delete(tmpPath);
      await rm(tmpPath, { force: true });
      throw error;
    }
    const staged: StagedContent = Object.freeze({
      sha256: sha256Hex,
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
  sweepStaging(olderThanMs: number): Promise<number> {
    return removeStaleFiles({ dir: this.#tmpDir, prefix: stagePrefix, olderThanMs, inUse: this.#active });
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
    return this.#openEncrypted(sha256, handle, this.#keyRing);
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

  /**
   * The final segment is checked first: in version 2 it binds the sha256, so a file moved to
   * another address (or cut short) is refused before any of its bytes is released.
   */
  async #openEncrypted(sha256: string, handle: FileHandle, keyRing: KeyRing): Promise<Readable> {
    const reader = await SealedFileReader.open({
      handle,
      keyOf: (keyId) => keyRing.keys.get(keyId),
      boundSha256: sha256,
    });
    try {
      await reader.verifyFinal();
    } catch (error) {
      await reader.close();
      throw error;
    }
    return reader.stream();
  }

  #stagedFile(staged: StagedContent): StagedFile {
    const file = this.#staged.get(staged);
    if (file === undefined) throw new TriageError('TRIAGE_INTERNAL', 'content was not staged by this store');
    return file;
  }

  async #link(sha256: string, tmpPath: string): Promise<{ created: boolean }> {
    const finalPath = this.pathOf(sha256);
    const directory = path.dirname(finalPath);
    await this.#prepare();
    await makePrivateDir(directory);
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
    const created = await this.#linkOrTouch(tmpPath, finalPath).catch((error: NodeJS.ErrnoException) => {
      throw tempGone(error);
    });
    // Synced even when another writer linked it: that writer may not have synced yet.
    await syncDirectory(directory);
    await this.#syncAncestors(directory);
    await rm(tmpPath, { force: true });
    this.#active.delete(tmpPath);
    return { created };
  }

  /**
   * link() fails if the file exists: the first writer wins and the content is the same. A file
   * found stored gets its mtime touched, so the reclaim sweep sees it was just committed; if the
   * sweep withdrew it between the two steps, the link is tried again.
   */
  async #linkOrTouch(tmpPath: string, finalPath: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const created = await link(tmpPath, finalPath).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw error;
        },
      );
      if (created) return true;
      const now = new Date();
      const touched = await utimes(finalPath, now, now).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT' && attempt < 3) return false;
          throw error;
        },
      );
      if (touched) return false;
    }
  }

  /**
   * Moves a stored file out of its address (to `<root>/reclaim/`) for the reclaim sweep, which
   * then proves nothing refers to it (`remove`) or puts it back (`restore`). A commit that comes
   * meanwhile finds no file and links its own copy. Null when nothing is stored under `sha256`.
   */
  async withdraw(sha256: string): Promise<WithdrawnContent | null> {
    const from = this.pathOf(sha256);
    await makePrivateDir(this.#reclaimDir);
    const to = path.join(this.#reclaimDir, `${sha256}-${randomUUID()}`);
    const moved = await rename(from, to).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (!moved) return null;
    return { sha256, committedAtMs: (await stat(to)).mtimeMs, path: to };
  }

  /** Puts a withdrawn file back at its address (a copy committed meanwhile wins: same bytes). */
  async restore(withdrawn: WithdrawnContent): Promise<void> {
    const finalPath = this.pathOf(withdrawn.sha256);
    await link(withdrawn.path, finalPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await syncDirectory(path.dirname(finalPath));
    await rm(withdrawn.path, { force: true });
  }

  /** Deletes a withdrawn file for good. */
  async remove(withdrawn: WithdrawnContent): Promise<void> {
    await rm(withdrawn.path, { force: true });
  }

  /** Files a sweep withdrew and never decided on (it was stopped): each goes back. */
  async restoreWithdrawn(): Promise<number> {
    const names = await readdir(this.#reclaimDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    let restored = 0;
    for (const name of names) {
      const sha256 = withdrawnPattern.exec(name)?.[1];
      if (sha256 === undefined) continue;
      await this.restore({ sha256, committedAtMs: 0, path: path.join(this.#reclaimDir, name) });
      restored += 1;
    }
    return restored;
  }

  /**
   * Rewrites one stored file in the current format under the write key (format version 2): a
   * plain file (from before encryption was turned on), a version 1 file, or one under another key
   * id. The old file is read whole and checked against its address (decrypted and authenticated,
   * or hashed when plain) before the new one replaces it by `rename`, fsynced: a reader sees the
   * old file or the new one, never a mix. A file that is neither is left alone and reported.
   */
  async rewriteEncrypted(sha256: string): Promise<RewriteOutcome> {
    const keyRing = this.#keyRing;
    if (keyRing === null) throw new TriageError('TRIAGE_CONFIG_INVALID', 'the store has no encryption key');
    const finalPath = this.pathOf(sha256);
    const found = await this.#classify(sha256, keyRing);
    if (!('plaintext' in found)) return found.kind;
    const staged = await this.stage(found.plaintext());
    try {
      if (staged.sha256 !== sha256) return 'unreadable';
      const { tmpPath } = this.#stagedFile(staged);
      await syncFile(tmpPath);
      await rename(tmpPath, finalPath);
      await syncDirectory(path.dirname(finalPath));
      return found.kind;
    } finally {
      await this.discard(staged);
    }
  }

  /** What a stored file is, and a way to stream its plaintext when it is to be rewritten. */
  async #classify(
    sha256: string,
    keyRing: KeyRing,
  ): Promise<
    | { kind: 'current' | 'unreadable' }
    | { kind: Exclude<RewriteOutcome, 'current' | 'unreadable'>; plaintext: () => Readable }
  > {
    const filePath = this.pathOf(sha256);
    const reader = await SealedFileReader.open({
      handle: await this.#openStored(sha256),
      keyOf: (keyId) => keyRing.keys.get(keyId),
      boundSha256: sha256,
    }).catch(() => null);
    if (reader !== null && reader.header.version === 2 && reader.header.keyId === keyRing.writeKeyId) {
      // Current already: its last segment binds the sha256, so one segment read tells (a run
      // over a migrated store stays cheap). Anything else is checked whole below.
      const bound = await reader.verifyFinal().then(
        () => true,
        () => false,
      );
      await reader.close();
      if (bound) return { kind: 'current' };
    } else if (reader !== null) {
      const { version } = reader.header;
      // Authenticated and hashed whole before anything is rewritten.
      const digest = await hashOf(reader.stream()).catch(() => null);
      if (digest === sha256) {
        return {
          kind: version === 2 ? 'rekeyed' : 'upgraded',
          plaintext: () => Readable.from(this.#reopen(sha256, keyRing)),
        };
      }
    }
    // Plain bytes (which may even begin like a header): their hash must be their address.
    const digest = await hashOf((await open(filePath, 'r')).createReadStream());
    if (digest !== sha256) return { kind: 'unreadable' };
    return { kind: 'encrypted', plaintext: () => Readable.from(plainBytes(filePath)) };
  }

  async *#reopen(sha256: string, keyRing: KeyRing): AsyncGenerator<Buffer> {
    const reader = await SealedFileReader.open({
      handle: await this.#openStored(sha256),
      keyOf: (keyId) => keyRing.keys.get(keyId),
      boundSha256: sha256,
    });
    for await (const chunk of reader.stream()) yield chunk as Buffer;
  }

  get #reclaimDir(): string {
    return path.join(this.#root, 'reclaim');
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

/**
 * What `rewriteEncrypted` did: `encrypted` a plain file, `upgraded` a version 1 file, `rekeyed` a
 * file under another key id; `current` needed nothing; `unreadable` matches its address neither
 * encrypted nor plain (or names a key that is not configured) and was left as it was.
 */
export type RewriteOutcome = 'encrypted' | 'upgraded' | 'rekeyed' | 'current' | 'unreadable';

async function hashOf(source: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function* plainBytes(filePath: string): AsyncGenerator<Buffer> {
  for await (const chunk of (await open(filePath, 'r')).createReadStream()) yield chunk as Buffer;
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
