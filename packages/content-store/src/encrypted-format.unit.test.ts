// The encrypted file format in memory: round trips at segment edges, and every way a stored file
// can be altered fails with TRIAGE_MEDIA_DECRYPT_FAILED before any altered byte is released.
import { createSecretKey, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createEncryptor, decryptSegments, parseHeader, sealedLength } from './encrypted-format.ts';

const segment = 1024;
const tag = 16;
const key = createSecretKey(randomBytes(32));

/** Deterministic bytes that are not all alike. */
function plaintext(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let index = 0; index < size; index += 1) bytes[index] = (index * 31 + (index >> 8)) & 0xff;
  return bytes;
}

async function encrypt(bytes: Buffer, chunkSize = 700): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    chunks.push(bytes.subarray(offset, offset + chunkSize));
  }
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    createEncryptor(key, 'k1', { segmentSize: segment }),
    async (source) => {
      for await (const chunk of source) out.push(chunk as Buffer);
    },
  );
  return Buffer.concat(out);
}

/** Decrypts a whole file, collecting what was released before any failure. */
async function decrypt(
  file: Buffer,
  masterKey = key,
  chunkSize = 333,
): Promise<{ released: Buffer; error: unknown }> {
  const header = parseHeader(file);
  async function* body() {
    for (let offset = header.bytes.length; offset < file.length; offset += chunkSize) {
      yield file.subarray(offset, Math.min(offset + chunkSize, file.length));
    }
  }
  const released: Buffer[] = [];
  try {
    for await (const part of decryptSegments(header, masterKey, body())) released.push(part);
    return { released: Buffer.concat(released), error: null };
  } catch (error) {
    return { released: Buffer.concat(released), error };
  }
}

const decryptFailed = { code: 'TRIAGE_MEDIA_DECRYPT_FAILED' };

describe('encrypted format round trip', () => {
  it.each([
    ['0 bytes', 0],
    ['1 byte', 1],
    ['exactly one segment', segment],
    ['one segment and one byte', segment + 1],
    ['exactly three segments', 3 * segment],
    ['several segments and a part', 5 * segment + 123],
  ])('given %s, when encrypted and decrypted, then the bytes come back', async (_name, size) => {
    const bytes = plaintext(size);
    const file = await encrypt(bytes);
    const header = parseHeader(file);
    expect(header.keyId).toBe('k1');
    expect(header.segmentSize).toBe(segment);
    expect(file.length).toBe(header.bytes.length + sealedLength(size, segment));
    const { released, error } = await decrypt(file);
    expect(error).toBeNull();
    expect(released.equals(bytes)).toBe(true);
  });

  it('given the same bytes twice, when encrypted, then the files differ and hold no plaintext', async () => {
    const bytes = Buffer.from('synthetic marker text '.repeat(200));
    const [one, two] = [await encrypt(bytes), await encrypt(bytes)];
    expect(one.equals(two)).toBe(false);
    expect(one.includes(Buffer.from('synthetic marker'))).toBe(false);
  });

  it('given chunks of any size, then the file decrypts the same', async () => {
    const bytes = plaintext(4 * segment + 5);
    const file = await encrypt(bytes, 1);
    const whole = await decrypt(file, key, file.length);
    const tiny = await decrypt(file, key, 7);
    expect(whole.released.equals(bytes)).toBe(true);
    expect(tiny.released.equals(bytes)).toBe(true);
  });
});

describe('encrypted format integrity', () => {
  const size = 3 * segment + 100; // segments 0, 1, 2 full and a final one of 100 bytes
  const sealed = segment + tag;

  async function sample() {
    const bytes = plaintext(size);
    const file = await encrypt(bytes);
    return { bytes, file, start: parseHeader(file).bytes.length };
  }

  it('given one flipped ciphertext byte in the last segment, then the segments before it are released and it is not', async () => {
    const { bytes, file, start } = await sample();
    file[start + 3 * sealed + 10]! ^= 0x01;
    const { released, error } = await decrypt(file);
    expect(error).toMatchObject(decryptFailed);
    expect(released.equals(bytes.subarray(0, 3 * segment))).toBe(true);
  });

  it.each([
    ['a ciphertext byte of the first segment', (start: number) => start + 5],
    ['a tag byte', (start: number) => start + segment + 3],
    ['the salt in the header', (start: number) => start - 20],
    ['the nonce prefix in the header', (start: number) => start - 1],
    ['the segment size in the header', () => 7],
  ])('given a flipped bit in %s, then nothing is released', async (_name, where) => {
    const { file, start } = await sample();
    file[where(start)]! ^= 0x04;
    const attempt = async () => {
      const { released, error } = await decrypt(file);
      expect(released.length).toBe(0);
      throw error;
    };
    await expect(attempt()).rejects.toMatchObject(decryptFailed);
  });

  it('given a file cut at a segment boundary, then it fails (the last kept segment was not final)', async () => {
    const { file, start } = await sample();
    const { error } = await decrypt(file.subarray(0, start + 3 * sealed));
    expect(error).toMatchObject(decryptFailed);
  });

  it.each([
    ['inside the final segment', (start: number) => start + 3 * sealed + 50],
    ['inside the final tag', (start: number) => start + 3 * sealed + 100 + 8],
    ['right after the header', (start: number) => start],
  ])('given a file cut %s, then it fails', async (_name, end) => {
    const { file, start } = await sample();
    const { error } = await decrypt(file.subarray(0, end(start)));
    expect(error).toMatchObject(decryptFailed);
  });

  it('given a file cut inside its header, then the header is refused', async () => {
    const { file, start } = await sample();
    expect(() => parseHeader(file.subarray(0, start - 1))).toThrow(expect.objectContaining(decryptFailed));
  });

  it('given two segments swapped, then it fails at the first of them', async () => {
    const { bytes, file, start } = await sample();
    const first = Buffer.from(file.subarray(start + sealed, start + 2 * sealed));
    file.copyWithin(start + sealed, start + 2 * sealed, start + 3 * sealed);
    first.copy(file, start + 2 * sealed);
    const { released, error } = await decrypt(file);
    expect(error).toMatchObject(decryptFailed);
    expect(released.equals(bytes.subarray(0, segment))).toBe(true);
  });

  it('given a segment appended, then the former final segment fails', async () => {
    const { file, start } = await sample();
    const extended = Buffer.concat([file, file.subarray(start, start + sealed)]);
    const { error } = await decrypt(extended);
    expect(error).toMatchObject(decryptFailed);
  });

  it('given the wrong key, then nothing is released', async () => {
    const { file } = await sample();
    const { released, error } = await decrypt(file, createSecretKey(randomBytes(32)));
    expect(error).toMatchObject(decryptFailed);
    expect(released.length).toBe(0);
  });

  it('given the key id in the header rewritten, then it fails even under the same key bytes', async () => {
    const { file } = await sample();
    const at = file.indexOf('k1', 10, 'ascii');
    file.write('k2', at, 'ascii');
    expect(parseHeader(file).keyId).toBe('k2');
    const { error } = await decrypt(file, key);
    expect(error).toMatchObject(decryptFailed);
  });

  it('given a header from another file, then it fails', async () => {
    const { file, start } = await sample();
    const other = await encrypt(plaintext(size));
    const spliced = Buffer.concat([other.subarray(0, start), file.subarray(start)]);
    const { error } = await decrypt(spliced);
    expect(error).toMatchObject(decryptFailed);
  });

  it.each([
    ['plain bytes', () => plaintext(200)],
    [
      'another format version',
      (file: Buffer) => Buffer.concat([file.subarray(0, 4), Buffer.of(3), file.subarray(5)]),
    ],
    [
      'a segment size too large to buffer',
      (file: Buffer) => {
        const copy = Buffer.from(file);
        copy.writeUInt32BE(64 * 1024 * 1024, 5);
        return copy;
      },
    ],
  ])('given %s, then the header is refused', async (_name, make) => {
    const { file } = await sample();
    expect(() => parseHeader(make(file))).toThrow(expect.objectContaining(decryptFailed));
  });
});

it('encryptor output is a byte stream a consumer can collect', async () => {
  const file = await buffer(
    Readable.from([plaintext(10)]).pipe(createEncryptor(key, 'k1', { segmentSize: segment })),
  );
  expect((await decrypt(file)).released.equals(plaintext(10))).toBe(true);
});
