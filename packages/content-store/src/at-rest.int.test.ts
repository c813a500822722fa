// What lies on disk: owner-only modes whatever the umask, withdrawing a file for the reclaim
// sweep, turning encryption on over a store of plain files (`encryptExisting`), and spools under
// a throwaway key read at random offsets.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentStore, createPrivateFile, EphemeralCipher, encryptExisting } from './index.ts';

let root: string;
let umask: number;
beforeEach(async () => {
  root = path.join(await mkdtemp(path.join(tmpdir(), 'content-store-at-rest-')), 'store');
  // The widest umask there is: modes must come from the store, not from the process.
  umask = process.umask(0o000);
});
afterEach(async () => {
  process.umask(umask);
  await rm(path.dirname(root), { recursive: true, force: true });
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
const synthetic = (label: string, size = 100_000) =>
  Buffer.concat([Buffer.from(`synthetic ${label} `), randomBytes(size)]);
const key = randomBytes(32);
const encryptedStore = () =>
  new ContentStore({ root, encryption: { keys: new Map([['k1', key]]), writeKeyId: 'k1' } });

describe('modes on disk', () => {
  it.each([
    ['plain', () => new ContentStore({ root })],
    ['encrypted', encryptedStore],
  ])(
    'given umask 000 and a %s store, then staged and stored files are 0600 in 0700 folders',
    async (_name, make) => {
      const store = make();
      const staged = await store.stage(Readable.from([synthetic('modes')]));
      const [tmpName] = await readdir(path.join(root, 'tmp'));
      expect(await modeOf(root)).toBe(0o700);
      expect(await modeOf(path.join(root, 'tmp'))).toBe(0o700);
      expect(await modeOf(path.join(root, 'tmp', tmpName!))).toBe(0o600);
      await store.commit(staged);
      const file = store.pathOf(staged.sha256);
      expect(await modeOf(file)).toBe(0o600);
      for (const folder of [
        path.dirname(file),
        path.dirname(path.dirname(file)),
        path.join(root, 'sha256'),
      ]) {
        expect(await modeOf(folder)).toBe(0o700);
      }
    },
  );
});

describe("withdraw, restore, remove (the reclaim sweep's moves)", () => {
  it('given a withdrawn file, then it is gone from its address until restored, and remove deletes it for good', async () => {
    const store = new ContentStore({ root });
    const { sha256 } = await store.put(Readable.from([synthetic('withdrawn')]));
    const withdrawn = await store.withdraw(sha256);
    expect(withdrawn).not.toBeNull();
    expect(await store.has(sha256)).toBe(false);
    await store.restore(withdrawn!);
    expect(await store.has(sha256)).toBe(true);
    await store.remove((await store.withdraw(sha256))!);
    expect(await store.has(sha256)).toBe(false);
    expect(await readdir(path.join(root, 'reclaim'))).toEqual([]);
    expect(await store.withdraw(sha256)).toBeNull();
  });

  it("given a file committed again after it was stored, then its commit time moves (the sweep's grace starts again)", async () => {
    const store = new ContentStore({ root });
    const bytes = synthetic('recommitted');
    const { sha256 } = await store.put(Readable.from([bytes]));
    const old = new Date(Date.now() - 3_600_000);
    await utimes(store.pathOf(sha256), old, old);
    expect((await store.put(Readable.from([bytes]))).created).toBe(false);
    expect((await stat(store.pathOf(sha256))).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('given a commit while the file is withdrawn, then the commit stores its own copy and the restore keeps it', async () => {
    const store = new ContentStore({ root });
    const bytes = synthetic('raced');
    const { sha256 } = await store.put(Readable.from([bytes]));
    const withdrawn = (await store.withdraw(sha256))!;
    expect((await store.put(Readable.from([bytes]))).created).toBe(true);
    await store.restore(withdrawn);
    expect(await buffer(await store.open(sha256))).toEqual(bytes);
  });

  it('given files withdrawn by a sweep that stopped, then restoreWithdrawn puts each back', async () => {
    const store = new ContentStore({ root });
    const { sha256 } = await store.put(Readable.from([synthetic('stopped')]));
    await store.withdraw(sha256);
    expect(await new ContentStore({ root }).restoreWithdrawn()).toBe(1);
    expect(await store.has(sha256)).toBe(true);
  });
});

describe('turning encryption on over a store of plain files', () => {
  it('given plain files, when encryption is turned on, then they are refused until `encryptExisting` rewrites them; then old and new files read back and none is plain on disk', async () => {
    const plain = new ContentStore({ root });
    const old = [synthetic('old one'), synthetic('old two', 70_000), Buffer.alloc(0)];
    const oldShas = [];
    for (const bytes of old) oldShas.push((await plain.put(Readable.from([bytes]))).sha256);

    const encrypted = encryptedStore();
    // Strict reader: a plain file is not taken for encrypted bytes, nor served as they are.
    await expect(encrypted.open(oldShas[0]!)).rejects.toMatchObject({ code: 'TRIAGE_MEDIA_DECRYPT_FAILED' });
    const fresh = synthetic('written after the switch');
    const { sha256: freshSha } = await encrypted.put(Readable.from([fresh]));
    expect((await readFile(encrypted.pathOf(freshSha))).subarray(0, 4).toString('ascii')).toBe('TCSE');

    // A file that matches its address neither way is left alone and reported.
    const damaged = createHash('sha256').update('no such content').digest('hex');
    const placeholder = await plain.put(Readable.from([Buffer.from('placeholder')]));
    await mkdir(path.dirname(plain.pathOf(damaged)), { recursive: true });
    await writeFile(plain.pathOf(damaged), await readFile(plain.pathOf(placeholder.sha256)));

    const seen: string[] = [];
    const counts = await encryptExisting(encrypted, (sha256, outcome) => seen.push(`${sha256}:${outcome}`));
    expect(counts).toEqual({ encrypted: 4, upgraded: 0, rekeyed: 0, current: 1, unreadable: 1 });
    expect(seen).toContain(`${damaged}:unreadable`);
    for (const [index, sha256] of oldShas.entries()) {
      expect(await buffer(await encrypted.open(sha256))).toEqual(old[index]);
      const onDisk = await readFile(encrypted.pathOf(sha256));
      expect(onDisk.readUInt8(4)).toBe(2);
      expect(await modeOf(encrypted.pathOf(sha256))).toBe(0o600);
    }
    expect(await buffer(await encrypted.open(freshSha))).toEqual(fresh);
    // Run again: nothing left to do.
    expect(await encryptExisting(encrypted)).toEqual({
      encrypted: 0,
      upgraded: 0,
      rekeyed: 0,
      current: 5,
      unreadable: 1,
    });
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('given files under a retired key, then encryptExisting rewrites them under the write key', async () => {
    const retired = randomBytes(32);
    const before = new ContentStore({
      root,
      encryption: { keys: new Map([['old', retired]]), writeKeyId: 'old' },
    });
    const bytes = synthetic('rotated');
    const { sha256 } = await before.put(Readable.from([bytes]));
    const after = new ContentStore({
      root,
      encryption: {
        keys: new Map([
          ['old', retired],
          ['k1', key],
        ]),
        writeKeyId: 'k1',
      },
    });
    expect(await encryptExisting(after)).toMatchObject({ rekeyed: 1 });
    // Readable without the retired key now.
    expect(await buffer(await encryptedStore().open(sha256))).toEqual(bytes);
  });
});

describe('EphemeralCipher (ZIP spools)', () => {
  it('given a file written under a throwaway key, then any byte range reads back, and the file holds nothing in the clear', async () => {
    const cipher = new EphemeralCipher();
    const bytes = Buffer.concat([Buffer.from('synthetic spool '), randomBytes(300_000)]);
    const file = path.join(path.dirname(root), 'spool.bin');
    await pipeline(Readable.from([bytes]), cipher.encryptor(), await createPrivateFile(file));
    const onDisk = await readFile(file);
    expect(onDisk.includes(bytes.subarray(0, 32))).toBe(false);
    expect(await modeOf(file)).toBe(0o600);
    const reader = await cipher.open(file);
    try {
      expect(reader.size).toBe(bytes.length);
      const ranges: [number, number][] = [
        [0, 0],
        [0, 1],
        [65_530, 65_560], // across a segment edge
        [bytes.length - 22, bytes.length], // the end (a ZIP's directory)
        [0, bytes.length],
      ];
      for (let index = 0; index < 30; index += 1) {
        const start = Math.floor(Math.random() * bytes.length);
        ranges.push([start, Math.min(bytes.length, start + Math.floor(Math.random() * 200_000))]);
      }
      for (const [start, end] of ranges) {
        expect(await buffer(reader.rangeStream(start, end))).toEqual(bytes.subarray(start, end));
      }
    } finally {
      await reader.close();
    }
    // Another cipher (a restarted process) cannot read it.
    const other = await new EphemeralCipher().open(file);
    await expect(buffer(other.rangeStream(0, 10))).rejects.toMatchObject({
      code: 'TRIAGE_MEDIA_DECRYPT_FAILED',
    });
    await other.close();
  });
});
