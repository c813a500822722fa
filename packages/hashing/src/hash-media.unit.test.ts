import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Hashes } from '@triage/schemas';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hashBytes } from './exact/exact-hashes.ts';
import { hashMedia, type MediaHashes } from './hash-media.ts';
import { encodePng } from './testing/png.ts';

/** A synthetic photo-like JPEG: gradient background, a few shapes, mild noise (seeded). */
async function syntheticJpeg(width = 400, height = 300): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#4a7"/><stop offset="1" stop-color="#236"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.3}" cy="${height * 0.4}" r="${height * 0.2}" fill="#e94"/>
    <rect x="${width * 0.55}" y="${height * 0.2}" width="${width * 0.3}" height="${height * 0.5}" fill="#fd6" transform="rotate(12)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

function seededBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

function expectExactHashes(result: MediaHashes, bytes: Uint8Array) {
  expect({ size: result.size, md5: result.md5, sha1: result.sha1, sha256: result.sha256 }).toEqual(
    hashBytes(bytes),
  );
}

function expectItemError(result: MediaHashes, code: string) {
  expect(result).toMatchObject({
    perceptualStatus: 'error',
    errorCode: code,
    pdq: null,
    pdqQuality: null,
    pdqDihedral: [],
    pdqMode: null,
  });
  expect(result.errorMessage).toEqual(expect.any(String));
}

describe('hashMedia', () => {
  it('hashes an image: exact hashes, PDQ with its quality, 8 dihedral hashes and mode', async () => {
    const jpeg = await syntheticJpeg();
    const result = await hashMedia(jpeg);
    expectExactHashes(result, jpeg);
    expect(result).toMatchObject({
      mediaType: 'image/jpeg',
      perceptualStatus: 'hashed',
      pdqMode: 'reference-no-exif-rotate',
      errorCode: null,
      errorMessage: null,
    });
    expect(result.pdq).toMatch(/^[0-9a-f]{64}$/);
    expect(result.pdqQuality).toBeGreaterThanOrEqual(50);
    expect(result.pdqDihedral).toHaveLength(8);
    expect(result.pdqDihedral[0]).toBe(result.pdq);
  });

  it('gives the same result for a path, a buffer and a chunked stream', async () => {
    const jpeg = await syntheticJpeg();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hash-media-')), 'photo.bin');
    writeFileSync(file, jpeg);
    const chunks = [];
    for (let offset = 0; offset < jpeg.length; offset += 100)
      chunks.push(jpeg.subarray(offset, offset + 100));
    const fromBuffer = await hashMedia(jpeg);
    expect(await hashMedia(file)).toEqual(fromBuffer);
    expect(await hashMedia(Readable.from(chunks))).toEqual(fromBuffer);
  });

  it('has the field names of the Avro Hashes record, so the stage copies them across', async () => {
    const {
      size: _size,
      mediaType: _mediaType,
      errorMessage: _message,
      ...fields
    } = await hashMedia(Buffer.from('abc'));
    const record: Hashes = { ...fields, pdqDihedral: [...fields.pdqDihedral] };
    expect(Object.keys(record).sort()).toEqual(
      [
        'md5',
        'sha1',
        'sha256',
        'pdq',
        'pdqQuality',
        'pdqDihedral',
        'pdqMode',
        'perceptualStatus',
        'errorCode',
      ].sort(),
    );
  });

  describe('inputs that are not images: exact hashes only, status not_image', () => {
    it.each([
      ['random bytes', seededBytes(5000, 1), 'application/octet-stream'],
      [
        'an MP4 video',
        Buffer.concat([Buffer.from('\0\0\0\x18ftypisom\0\0\0\0isommp41', 'latin1'), seededBytes(4000, 2)]),
        'video/mp4',
      ],
      [
        'SVG text',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>'),
        'application/octet-stream',
      ],
      ['empty input', Buffer.alloc(0), 'application/octet-stream'],
    ])('%s', async (_name, bytes, mediaType) => {
      const result = await hashMedia(bytes);
      expectExactHashes(result, bytes);
      expect(result).toMatchObject({ mediaType, perceptualStatus: 'not_image', pdq: null, errorCode: null });
    });
  });

  describe('bad images: an item-level error with a code, never an exception', () => {
    it('truncated JPEG: TRIAGE_MEDIA_UNDECODABLE', async () => {
      const jpeg = await syntheticJpeg();
      const cut = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
      const result = await hashMedia(cut);
      expectExactHashes(result, cut);
      expect(result.mediaType).toBe('image/jpeg');
      expectItemError(result, 'TRIAGE_MEDIA_UNDECODABLE');
    });

    it('truncated PNG: TRIAGE_MEDIA_UNDECODABLE', async () => {
      const png = await sharp(await syntheticJpeg())
        .png()
        .toBuffer();
      expectItemError(
        await hashMedia(png.subarray(0, Math.floor(png.length / 2))),
        'TRIAGE_MEDIA_UNDECODABLE',
      );
    });

    it('a JPEG signature followed by garbage: TRIAGE_MEDIA_UNDECODABLE', async () => {
      const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), seededBytes(3000, 3)]);
      expectItemError(await hashMedia(bytes), 'TRIAGE_MEDIA_UNDECODABLE');
    });

    it('a PNG header claiming 100000 x 100000 pixels (decompression bomb): TRIAGE_MEDIA_TOO_LARGE', async () => {
      const bomb = encodePng({ width: 100_000, height: 100_000, bitDepth: 8, colorType: 2 });
      const result = await hashMedia(bomb);
      expectItemError(result, 'TRIAGE_MEDIA_TOO_LARGE');
      // Refused from the header (our check names the dimensions), before any pixel is decoded.
      expect(result.errorMessage).toBe('image has 100000x100000 pixels');
    });

    it('an image over a configured maxPixels: TRIAGE_MEDIA_TOO_LARGE', async () => {
      const jpeg = await syntheticJpeg(400, 300);
      expectItemError(await hashMedia(jpeg, { maxPixels: 400 * 300 - 1 }), 'TRIAGE_MEDIA_TOO_LARGE');
      expect((await hashMedia(jpeg, { maxPixels: 400 * 300 })).perceptualStatus).toBe('hashed');
    });

    it('an image over maxImageBytes is not buffered: TRIAGE_MEDIA_TOO_LARGE, exact hashes still right', async () => {
      const jpeg = await syntheticJpeg();
      const result = await hashMedia(Readable.from([jpeg.subarray(0, 1000), jpeg.subarray(1000)]), {
        maxImageBytes: 2000,
      });
      expectExactHashes(result, jpeg);
      expectItemError(result, 'TRIAGE_MEDIA_TOO_LARGE');
    });

    it.each([
      [
        'BMP',
        Buffer.concat([
          Buffer.from('BM', 'latin1'),
          Buffer.from([0x36, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]),
          seededBytes(600, 4),
        ]),
      ],
      [
        'HEIC',
        Buffer.concat([Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'), seededBytes(600, 5)]),
      ],
    ])('an image format we do not decode (%s): TRIAGE_MEDIA_UNSUPPORTED', async (_name, bytes) => {
      expectItemError(await hashMedia(bytes), 'TRIAGE_MEDIA_UNSUPPORTED');
    });

    it('never throws on corrupted images (bytes flipped at random, cut at random)', async () => {
      const jpeg = await syntheticJpeg(200, 150);
      const png = await sharp(jpeg).png().toBuffer();
      const random = seededBytes(200, 6);
      const statuses = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const source = i % 2 === 0 ? jpeg : png;
        const damaged = Buffer.from(source);
        for (let k = 0; k < 8; k++) {
          const at = 20 + ((random[i * 4 + (k % 4)]! * 977 + k * 131) % (damaged.length - 20));
          damaged[at] = damaged[at]! ^ 0xff;
        }
        const cut = damaged.subarray(0, 20 + ((random[i]! * 7919) % (damaged.length - 20)));
        for (const bytes of [damaged, cut]) {
          const result = await hashMedia(bytes);
          expectExactHashes(result, bytes);
          statuses.add(result.perceptualStatus === 'error' ? result.errorCode! : result.perceptualStatus);
        }
      }
      expect([...statuses].every((s) => ['hashed', 'TRIAGE_MEDIA_UNDECODABLE'].includes(s))).toBe(true);
      expect(statuses.has('TRIAGE_MEDIA_UNDECODABLE')).toBe(true);
    });
  });

  it('throws TRIAGE_MEDIA_MISSING for a path that does not exist (nothing to hash)', async () => {
    await expect(hashMedia(path.join(tmpdir(), 'no-such-file-8f3a.jpg'))).rejects.toMatchObject({
      code: 'TRIAGE_MEDIA_MISSING',
    });
  });

  it('throws TRIAGE_CONFIG_INVALID naming a bad option', async () => {
    await expect(hashMedia(Buffer.from('abc'), { maxPixels: -1 })).rejects.toMatchObject({
      code: 'TRIAGE_CONFIG_INVALID',
      message: expect.stringContaining('maxPixels'),
    });
    await expect(hashMedia(Buffer.from('abc'), { decoder: 'turbo' as never })).rejects.toMatchObject({
      code: 'TRIAGE_CONFIG_INVALID',
    });
  });
});
