import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExactHasher, hashBytes, hashFile, hashStream } from './exact-hashes.ts';

// RFC 1321, FIPS 180 test vectors.
const EMPTY = {
  size: 0,
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};
const ABC = {
  size: 3,
  md5: '900150983cd24fb0d6963f7d28e17f72',
  sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
  sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
};

describe('exact hashes', () => {
  it('match the published vectors for empty input and "abc"', () => {
    expect(hashBytes(new Uint8Array(0))).toEqual(EMPTY);
    expect(hashBytes(Buffer.from('abc'))).toEqual(ABC);
  });

  it('give the same digests however the stream is chunked', async () => {
    const bytes = Buffer.alloc(200_003);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 7)) & 0xff;
    const chunks = [];
    for (let offset = 0; offset < bytes.length; offset += 7_919)
      chunks.push(bytes.subarray(offset, offset + 7_919));
    expect(await hashStream(Readable.from(chunks))).toEqual(hashBytes(bytes));
    expect(await hashStream(Readable.from([Buffer.from('a'), Buffer.from('bc')]))).toEqual(ABC);
  });

  it('hash files, and name a missing file or a directory by code', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'exact-hashes-'));
    writeFileSync(path.join(dir, 'abc.bin'), 'abc');
    expect(await hashFile(path.join(dir, 'abc.bin'))).toEqual(ABC);
    await expect(hashFile(path.join(dir, 'nope.bin'))).rejects.toMatchObject({
      code: 'TRIAGE_MEDIA_MISSING',
    });
    await expect(hashFile(dir)).rejects.toMatchObject({ code: 'TRIAGE_MEDIA_UNREADABLE', retryable: false });
  });

  it('turn a stream that fails part-way into TRIAGE_MEDIA_UNREADABLE', async () => {
    async function* failing() {
      yield Buffer.from('abc');
      throw new Error('connection reset');
    }
    await expect(hashStream(failing())).rejects.toMatchObject({
      code: 'TRIAGE_MEDIA_UNREADABLE',
      message: 'connection reset',
    });
  });

  it('refuse an update after the digest', () => {
    const hasher = new ExactHasher();
    hasher.digest();
    expect(() => hasher.update(Buffer.from('x'))).toThrow();
  });
});
