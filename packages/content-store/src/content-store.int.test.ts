import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentStore } from './index.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'content-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const bytes = Buffer.from('synthetic content, not a real file');
const hex = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');

describe('content store on the filesystem', () => {
  it('stores bytes under their sha256 with all three digests, once however often they arrive', async () => {
    const store = new ContentStore({ root });
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
    expect(await readFile(store.pathOf(first.sha256))).toEqual(bytes);
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('reads stored bytes back and says clearly when a file is missing', async () => {
    const store = new ContentStore({ root });
    const { sha256 } = await store.put(Readable.from([bytes]));
    const chunks: Buffer[] = [];
    for await (const chunk of await store.open(sha256)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(bytes);
    await expect(store.open('0'.repeat(64))).rejects.toMatchObject({ code: 'TRIAGE_MEDIA_MISSING' });
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/sha256/);
  });

  it('leaves nothing behind when the source stream fails', async () => {
    const store = new ContentStore({ root });
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.put(failing)).rejects.toThrow(/connection reset/);
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });
});
