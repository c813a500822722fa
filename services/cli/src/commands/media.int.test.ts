// `triage media encrypt` as an operator runs it: a store of plain files (written before
// encryption was turned on) is rewritten encrypted; a second run has nothing to do.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ContentStore } from '@triage/content-store';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cli-media-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

it('given a plain store, when `triage media encrypt` runs with keys, then every file is encrypted and reads back; a second run finds nothing to do', async () => {
  const plain = new ContentStore({ root });
  const files = [Buffer.from('synthetic plain file one'), randomBytes(150_000)];
  const shas = [];
  for (const bytes of files) shas.push((await plain.put(Readable.from([bytes]))).sha256);
  const key = randomBytes(32);
  const env = {
    ...process.env,
    CONTENT_STORE_ROOT: root,
    CONTENT_STORE_KEYS: `k1:${key.toString('base64')}`,
    CONTENT_STORE_WRITE_KEY_ID: 'k1',
  };

  const first = await runCli(['media', 'encrypt'], { env });
  expect(first.code).toBe(0);
  expect(JSON.parse(first.stdout)).toEqual({
    encrypted: 2,
    upgraded: 0,
    rekeyed: 0,
    current: 0,
    unreadable: 0,
  });
  const encrypted = new ContentStore({
    root,
    encryption: { keys: new Map([['k1', key]]), writeKeyId: 'k1' },
  });
  for (const [index, sha256] of shas.entries()) {
    expect((await readFile(encrypted.pathOf(sha256))).subarray(0, 4).toString('ascii')).toBe('TCSE');
    expect(await buffer(await encrypted.open(sha256))).toEqual(files[index]);
  }
  const second = await runCli(['media', 'encrypt'], { env });
  expect(JSON.parse(second.stdout)).toMatchObject({ encrypted: 0, current: 2 });

  // Without keys it refuses, naming the variable, and rewrites nothing.
  const { CONTENT_STORE_KEYS: _keys, CONTENT_STORE_WRITE_KEY_ID: _id, ...withoutKeys } = env;
  const refused = await runCli(['media', 'encrypt'], { env: withoutKeys });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('CONTENT_STORE_KEYS');
});
