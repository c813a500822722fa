// One contract, both MediaHasher implementations: on the calling thread and on worker threads.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from '@triage/content-store';
import { syntheticImage } from '@triage/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessMediaHasher, createPooledMediaHasher, type MediaHasher } from './media-hasher.ts';

let root: string;
let image: string;
let notImage: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'media-hasher-'));
  const store = new ContentStore({ root });
  image = (await store.put(Readable.from([await syntheticImage(5)]))).sha256;
  notImage = (await store.put(Readable.from([Buffer.from('plain text, not media')]))).sha256;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const implementations: [string, () => MediaHasher][] = [
  ['in-process', () => createInProcessMediaHasher({ contentStoreRoot: root, maxPixels: 10_000_000 })],
  [
    'worker pool',
    () => createPooledMediaHasher({ contentStoreRoot: root, maxPixels: 10_000_000, threads: 2 }),
  ],
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

it('both implementations agree bit for bit', async () => {
  const [one, two] = implementations.map(([, create]) => create());
  try {
    expect(await two!.hash(image)).toEqual(await one!.hash(image));
  } finally {
    await Promise.all([one!.close(), two!.close()]);
  }
});
