// One contract for the store on the filesystem, run plain and encrypted: staging, commit,
// discard, dedupe, sweep and reads behave the same whichever way the bytes are kept.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentStore, type ContentStoreOptions } from './index.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'content-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const bytes = Buffer.from('synthetic content, not a real file');
const hex = (algorithm: string, data: Buffer = bytes) => createHash(algorithm).update(data).digest('hex');
const tmpFiles = () => readdir(path.join(root, 'tmp')).catch(() => [] as string[]);

/** Every file under <root>/sha256, as paths relative to it. */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(path.join(root, 'sha256'), { recursive: true }).catch(() => [] as string[]);
  const files: string[] = [];
  for (const entry of entries) if (/[0-9a-f]{64}$/.test(entry)) files.push(entry);
  return files;
}

function failingSource(after: Buffer | null): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (after !== null && !sent) {
        sent = true;
        this.push(after);
        return;
      }
      this.destroy(new Error('connection reset'));
    },
  });
}

const stores: [string, () => ContentStoreOptions][] = [
  ['plain', () => ({ root })],
  ['encrypted', () => ({ root, encryption: { keys: new Map([['k1', randomBytes(32)]]), writeKeyId: 'k1' } })],
];

describe.each(stores)('content store (%s)', (_name, options) => {
  it('given bytes arriving in pieces, when put, then they are stored once under their sha256 with all three digests', async () => {
    const store = new ContentStore(options());
    const first = await store.put(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    expect(first).toEqual({
      sha256: hex('sha256'),
      md5: hex('md5'),
      sha1: hex('sha1'),
      size: bytes.length,
      created: true,
    });
    const again = await store.put(Readable.from([bytes]));
    expect(again.created).toBe(false);
    expect(await buffer(await store.open(first.sha256))).toEqual(bytes);
    expect(await store.size(first.sha256)).toBe(bytes.length);
    expect(await storedFiles()).toHaveLength(1);
    expect(await tmpFiles()).toEqual([]);
  });

  it('given a missing file or a bad sha256, then it says so clearly', async () => {
    const store = new ContentStore(options());
    await expect(store.open('0'.repeat(64))).rejects.toMatchObject({ code: 'TRIAGE_MEDIA_MISSING' });
    await expect(store.size('0'.repeat(64))).rejects.toMatchObject({ code: 'TRIAGE_MEDIA_MISSING' });
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/sha256/);
  });

  it('given staged content, then nothing is visible until commit, and the temp file is gone after it', async () => {
    const store = new ContentStore(options());
    const large = randomBytes(3000);
    const staged = await store.stage(Readable.from([large.subarray(0, 100), large.subarray(100)]));
    expect(staged).toMatchObject({ sha256: hex('sha256', large), md5: hex('md5', large), size: 3000 });
    expect(staged.head).toEqual(large.subarray(0, 512));
    expect(await store.has(staged.sha256)).toBe(false);
    await expect(store.open(staged.sha256)).rejects.toMatchObject({ code: 'TRIAGE_MEDIA_MISSING' });
    expect(await storedFiles()).toEqual([]);
    expect(await tmpFiles()).toHaveLength(1);

    expect(await store.commit(staged)).toEqual({ created: true });
    expect(await store.has(staged.sha256)).toBe(true);
    expect(await buffer(await store.open(staged.sha256))).toEqual(large);
    expect(await tmpFiles()).toEqual([]);
    // Committing again is answered the same way; discarding after commit keeps the file.
    expect(await store.commit(staged)).toEqual({ created: true });
    await store.discard(staged);
    expect(await store.has(staged.sha256)).toBe(true);
  });

  it('given staged content that is discarded, then nothing is left, twice over', async () => {
    const store = new ContentStore(options());
    const staged = await store.stage(Readable.from([bytes]));
    expect(staged.head).toEqual(bytes);
    await store.discard(staged);
    await store.discard(staged);
    expect(await tmpFiles()).toEqual([]);
    expect(await storedFiles()).toEqual([]);
    expect(await store.has(staged.sha256)).toBe(false);
    await expect(store.commit(staged)).rejects.toMatchObject({ code: 'TRIAGE_INTERNAL' });
  });

  it('given content this store did not stage, then commit and discard refuse it', async () => {
    const store = new ContentStore(options());
    const forged = { sha256: hex('sha256'), md5: '', sha1: '', size: 1, head: Buffer.alloc(0) };
    await expect(store.commit(forged)).rejects.toMatchObject({ code: 'TRIAGE_INTERNAL' });
    await expect(store.discard(forged)).rejects.toMatchObject({ code: 'TRIAGE_INTERNAL' });
  });

  it('given the same bytes staged concurrently, then one file is stored and exactly one commit created it', async () => {
    const store = new ContentStore(options());
    const staged = await Promise.all([1, 2, 3, 4].map(() => store.stage(Readable.from([bytes]))));
    expect(new Set(staged.map((one) => one.sha256)).size).toBe(1);
    expect(await tmpFiles()).toHaveLength(4);
    const results = await Promise.all(staged.map((one) => store.commit(one)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await storedFiles()).toHaveLength(1);
    expect(await tmpFiles()).toEqual([]);
    expect(await buffer(await store.open(hex('sha256')))).toEqual(bytes);
  });

  it.each([
    ['at once', null],
    ['after some bytes', bytes],
  ])('given a source stream that fails %s, then no temp file is left', async (_when, after) => {
    const store = new ContentStore(options());
    await expect(store.stage(failingSource(after))).rejects.toThrow(/connection reset/);
    await expect(store.put(failingSource(after))).rejects.toThrow(/connection reset/);
    expect(await tmpFiles()).toEqual([]);
    expect(await storedFiles()).toEqual([]);
  });

  it('given temp files a crash left behind, then a sweep removes the old ones only', async () => {
    const store = new ContentStore(options());
    const held = await store.stage(Readable.from([bytes]));
    const [heldName] = await tmpFiles();
    const tmp = path.join(root, 'tmp');
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const file = async (name: string, age: number) => {
      await writeFile(path.join(tmp, name), 'partial').catch(() => undefined);
      await utimes(path.join(tmp, name), minutesAgo(age), minutesAgo(age));
    };
    await file('stage-crashed', 60);
    await file('stage-recent', 10);
    await file('not-staging', 60);
    await file(heldName!, 60);

    expect(await store.sweepStaging(30 * 60_000)).toBe(1);
    expect((await tmpFiles()).sort()).toEqual([heldName, 'not-staging', 'stage-recent'].sort());
    // The old staged file this instance holds survived the sweep; another instance would take it.
    expect(await new ContentStore(options()).sweepStaging(5 * 60_000)).toBe(2);
    expect(await tmpFiles()).toEqual(['not-staging']);
    await expect(store.commit(held)).rejects.toMatchObject({ code: 'TRIAGE_INTERNAL' });
  });

  it('given no staging folder yet, then a sweep removes nothing', async () => {
    expect(await new ContentStore(options()).sweepStaging(0)).toBe(0);
  });
});

it('given a plain and an encrypted store, then the same bytes get the same address and digests', async () => {
  const plain = new ContentStore({ root: path.join(root, 'plain') });
  const encrypted = new ContentStore({
    root: path.join(root, 'encrypted'),
    encryption: { keys: new Map([['k1', randomBytes(32)]]), writeKeyId: 'k1' },
  });
  const one = await plain.put(Readable.from([bytes]));
  const two = await encrypted.put(Readable.from([bytes]));
  expect(two).toEqual(one);
  expect(path.relative(path.join(root, 'encrypted'), encrypted.pathOf(two.sha256))).toBe(
    path.relative(path.join(root, 'plain'), plain.pathOf(one.sha256)),
  );
  expect(await readFile(plain.pathOf(one.sha256))).toEqual(bytes);
  expect((await readFile(encrypted.pathOf(two.sha256))).equals(bytes)).toBe(false);
});
