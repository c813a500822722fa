// One contract, both MediaHasher implementations (on the calling thread and on worker threads),
// each on a plain and an encrypted content store.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore, type ContentStoreOptions } from '@triage/content-store';
import { syntheticImage } from '@triage/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessMediaHasher, createPooledMediaHasher, type MediaHasher } from './media-hasher.ts';

let plainRoot: string;
let encryptedRoot: string;
let image: string;
let notImage: string;

const encryptionKey = randomBytes(32);
const plain = (): ContentStoreOptions => ({ root: plainRoot });
// The keys reach the worker threads through workerData; the store writes with the newer one.
const encrypted = (): ContentStoreOptions => ({
  root: encryptedRoot,
  encryption: {
    keys: new Map([
      ['test-old', randomBytes(32)],
      ['test-new', encryptionKey],
    ]),
    writeKeyId: 'test-new',
  },
});

beforeAll(async () => {
  plainRoot = await mkdtemp(path.join(tmpdir(), 'media-hasher-'));
  encryptedRoot = await mkdtemp(path.join(tmpdir(), 'media-hasher-enc-'));
  const picture = await syntheticImage(5);
  const text = Buffer.from('plain text, not media');
  // The same bytes in both stores: the same sha256 addresses them in each.
  for (const options of [plain(), encrypted()]) {
    const store = new ContentStore(options);
    image = (await store.put(Readable.from([picture]))).sha256;
    notImage = (await store.put(Readable.from([text]))).sha256;
  }
});
afterAll(async () => {
  await rm(plainRoot, { recursive: true, force: true });
  await rm(encryptedRoot, { recursive: true, force: true });
});

type Create = (contentStore: ContentStoreOptions) => MediaHasher;
const inProcess: Create = (contentStore) =>
  createInProcessMediaHasher({ contentStore, maxPixels: 10_000_000 });
const workerPool: Create = (contentStore) =>
  createPooledMediaHasher({ contentStore, maxPixels: 10_000_000, threads: 2 });
const implementations: [string, () => MediaHasher][] = [
  ['in-process, plain store', () => inProcess(plain())],
  ['worker pool, plain store', () => workerPool(plain())],
  ['in-process, encrypted store', () => inProcess(encrypted())],
  ['worker pool, encrypted store', () => workerPool(encrypted())],
];

describe.each(implementations)('MediaHasher (%s)', (_name, create) => {
  it('hashes an image exactly and perceptually, with its 8 dihedral variants', async () => {
    const hasher = create();
    try {
      const hashes = await hasher.hash(image);
      expect(hashes.sha256).toBe(image);
      expect(hashes.md5).toMatch(/^[0-9a-f]{32}$/);
      expect(hashes.perceptualStatus).toBe('hashed');
      expect(hashes.pdq).toMatch(/^[0-9a-f]{64}$/);
      expect(hashes.pdqDihedral).toHaveLength(8);
      expect(hashes.pdqDihedral[0]).toBe(hashes.pdq);
    } finally {
      await hasher.close();
    }
  });

  it('gives other files exact hashes only', async () => {
    const hasher = create();
    try {
      expect(await hasher.hash(notImage)).toMatchObject({
        sha256: notImage,
        pdq: null,
        perceptualStatus: 'not_image',
      });
    } finally {
      await hasher.close();
    }
  });

  it('says TRIAGE_MEDIA_MISSING for a file the store does not have', async () => {
    const hasher = create();
    try {
      await expect(hasher.hash('0'.repeat(64))).rejects.toMatchObject({ code: 'TRIAGE_MEDIA_MISSING' });
    } finally {
      await hasher.close();
    }
  });
});

it('every implementation on every store agrees bit for bit', async () => {
  const hashers = implementations.map(([, create]) => create());
  try {
    const results = await Promise.all(
      hashers.map(async (hasher) => [await hasher.hash(image), await hasher.hash(notImage)]),
    );
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
    expect(results[0]![0]!.perceptualStatus).toBe('hashed');
  } finally {
    await Promise.all(hashers.map((hasher) => hasher.close()));
  }
});

describe.each([
  ['in-process', inProcess],
  ['worker pool', workerPool],
])('MediaHasher (%s) on an encrypted store', (_name, create) => {
  it('says TRIAGE_MEDIA_DECRYPT_FAILED for a file altered on disk, and for a key it lacks', async () => {
    const store = new ContentStore(encrypted());
    const bytes = Buffer.from(`synthetic bytes to alter ${_name}`);
    const { sha256 } = await store.put(Readable.from([bytes]));
    const file = await readFile(store.pathOf(sha256));
    file[file.length - 20]! ^= 0x01;
    await writeFile(store.pathOf(sha256), file);
    const withoutKey = create({
      root: encryptedRoot,
      encryption: { keys: new Map([['test-old', randomBytes(32)]]), writeKeyId: 'test-old' },
    });
    const hasher = create(encrypted());
    try {
      await expect(hasher.hash(sha256)).rejects.toMatchObject({ code: 'TRIAGE_MEDIA_DECRYPT_FAILED' });
      await expect(withoutKey.hash(image)).rejects.toMatchObject({ code: 'TRIAGE_MEDIA_DECRYPT_FAILED' });
      expect((await hasher.hash(image)).sha256).toBe(image);
    } finally {
      await Promise.all([hasher.close(), withoutKey.close()]);
    }
  });
});
