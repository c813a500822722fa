import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hashMedia } from '../hash-media.ts';
import { resolveHashMediaOptions } from '../options.ts';
import { hasPdqTestData, loadExpectedPdq, pdqTestDataDir } from '../testing/pdq-test-data.ts';
import { encodePng } from '../testing/png.ts';
import { DIHEDRAL_NAMES } from './dct.ts';
import { decodeForPdq } from './decode.ts';
import { hammingDistance } from './hash256.ts';
import { pdqFromPixels } from './pdq.ts';

/**
 * The decoder policy is part of the hash (README, "Decoder policy"). Each test pins one choice so a
 * dependency upgrade or a refactor that changes it fails here, not silently in the matches.
 */

const options = resolveHashMediaOptions();
const WIDTH = 320;
const HEIGHT = 240;

/** Seeded RGB bytes: diagonal bands, blocks and noise, colourful enough that colour handling shows. */
function rgbPixels(width = WIDTH, height = HEIGHT, seed = 1): Buffer {
  let state = seed;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const noise = (state >>> 28) - 8;
      const block = ((x >> 5) + (y >> 5)) % 3;
      const i = (y * width + x) * 3;
      data[i] = Math.max(0, Math.min(255, ((x + y) % 256) + noise));
      data[i + 1] = Math.max(0, Math.min(255, block * 100 + noise + 20));
      data[i + 2] = Math.max(0, Math.min(255, 255 - ((x * 2) % 256) + noise));
    }
  }
  return data;
}

/** Every `stride`-th byte from `offset`: one channel of interleaved pixels. */
function channel(pixels: Buffer, stride: number, offset: number): Buffer {
  const out = Buffer.alloc(pixels.length / stride);
  for (let i = 0; i < out.length; i++) out[i] = pixels[i * stride + offset]!;
  return out;
}

function raw(data: Buffer, channels: 3 | 4, width = WIDTH, height = HEIGHT) {
  return sharp(data, { raw: { width, height, channels } });
}

async function hashOf(bytes: Buffer) {
  const result = await hashMedia(bytes);
  expect(result.perceptualStatus, result.errorMessage ?? '').toBe('hashed');
  return result;
}

describe('decoder policy', () => {
  it('grey: the stored grey values are the luma, one channel, as is', async () => {
    const grey = channel(rgbPixels(), 3, 0);
    const png = encodePng({ width: WIDTH, height: HEIGHT, bitDepth: 8, colorType: 0, samples: grey });
    expect((await sharp(png).metadata()).space).toBe('b-w');
    const decoded = await decodeForPdq(png, options);
    expect(decoded.pixels.channels).toBe(1);
    expect(Buffer.from(decoded.pixels.data)).toEqual(grey);
    expect((await hashOf(png)).pdq).toBe(
      pdqFromPixels({ data: grey, width: WIDTH, height: HEIGHT, channels: 1 }).hash,
    );
  });

  it('grey with alpha: alpha dropped, grey kept as one channel', async () => {
    const grey = channel(rgbPixels(), 3, 0);
    const samples = Array.from({ length: grey.length * 2 }, (_, i) =>
      i % 2 === 0 ? grey[i >> 1]! : (i >> 1) % 7 ? 200 : 0,
    );
    const decoded = await decodeForPdq(
      encodePng({ width: WIDTH, height: HEIGHT, bitDepth: 8, colorType: 4, samples }),
      options,
    );
    expect(decoded.pixels.channels).toBe(1);
    expect(Buffer.from(decoded.pixels.data)).toEqual(grey);
  });

  it('palette (P): expanded to RGB, so it hashes like the same pixels stored as truecolour', async () => {
    const palettePng = await raw(rgbPixels(), 3).png({ palette: true, colours: 64, dither: 0 }).toBuffer();
    expect((await sharp(palettePng).metadata()).isPalette).toBe(true);
    const expanded = await sharp(palettePng).removeAlpha().raw().toBuffer();
    const truecolour = await raw(expanded, 3).png().toBuffer();
    expect((await hashOf(palettePng)).pdq).toBe((await hashOf(truecolour)).pdq);
  });

  it('16-bit: rounded to 8 bits (v / 257) like Java ImageIO, not truncated like libvips', async () => {
    const rgb = rgbPixels();
    // High byte v, low byte 0xff: truncation gives v, rounding gives v + 1 for v < 127.
    const deep = Array.from(rgb, (v) => v * 256 + 0xff);
    const png = encodePng({ width: WIDTH, height: HEIGHT, bitDepth: 16, colorType: 2, samples: deep });
    expect((await sharp(png).metadata()).depth).toBe('ushort');
    const rounded = Buffer.from(deep.map((v) => Math.round(v / 257)));
    expect(rounded.equals(rgb)).toBe(false);
    const decoded = await decodeForPdq(png, options);
    expect(Buffer.from(decoded.pixels.data)).toEqual(rounded);
    expect((await hashOf(png)).pdq).toBe(
      pdqFromPixels({ data: rounded, width: WIDTH, height: HEIGHT, channels: 3 }).hash,
    );
  });

  it('16-bit grey: rounded the same way, one channel (with or without alpha)', async () => {
    const grey = channel(rgbPixels(), 3, 1);
    const deep = Array.from(grey, (v) => v * 256 + 0xff);
    const withAlpha = deep.flatMap((v) => [v, 40000]);
    const rounded = Buffer.from(deep.map((v) => Math.round(v / 257)));
    for (const png of [
      encodePng({ width: WIDTH, height: HEIGHT, bitDepth: 16, colorType: 0, samples: deep }),
      encodePng({ width: WIDTH, height: HEIGHT, bitDepth: 16, colorType: 4, samples: withAlpha }),
    ]) {
      expect((await sharp(png).metadata()).space).toBe('grey16');
      const decoded = await decodeForPdq(png, options);
      expect(decoded.pixels.channels).toBe(1);
      expect(Buffer.from(decoded.pixels.data)).toEqual(rounded);
    }
  });

  it('alpha: dropped without flattening (colour under transparent pixels still counts)', async () => {
    const rgb = rgbPixels();
    const rgba = Buffer.alloc(WIDTH * HEIGHT * 4);
    for (let i = 0; i < WIDTH * HEIGHT; i++) {
      rgba.set(rgb.subarray(3 * i, 3 * i + 3), 4 * i);
      rgba[4 * i + 3] = i % WIDTH < WIDTH / 2 ? 0 : 128; // left half fully transparent
    }
    const png = await raw(rgba, 4).png().toBuffer();
    const decoded = await decodeForPdq(png, options);
    expect(Buffer.from(decoded.pixels.data)).toEqual(rgb);
    const flattened = await sharp(png).flatten({ background: '#ffffff' }).raw().toBuffer();
    const flattenedHash = pdqFromPixels({ data: flattened, width: WIDTH, height: HEIGHT, channels: 3 }).hash;
    expect((await hashOf(png)).pdq).not.toBe(flattenedHash);
  });

  it('CMYK: converted to sRGB by libvips (embedded profile, else its CMYK profile)', async () => {
    const cmykJpeg = await raw(rgbPixels(), 3).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(cmykJpeg).metadata()).space).toBe('cmyk');
    const decoded = await decodeForPdq(cmykJpeg, options);
    expect(decoded.pixels.channels).toBe(3);
    expect(Buffer.from(decoded.pixels.data)).toEqual(
      await sharp(cmykJpeg).toColourspace('srgb').raw().toBuffer(),
    );
  });

  it('ICC: applied for JPEG and TIFF, ignored for PNG (as Java ImageIO does)', async () => {
    const pixels = async (bytes: Buffer, ignoreIcc: boolean) =>
      Buffer.from(await sharp(bytes, { ignoreIcc }).removeAlpha().toColourspace('srgb').raw().toBuffer());
    for (const [format, applied] of [
      ['png', false],
      ['jpeg', true],
      ['tiff', true],
    ] as const) {
      const bytes = await raw(rgbPixels(), 3).withIccProfile('p3').toFormat(format).toBuffer();
      expect((await sharp(bytes).metadata()).hasProfile, format).toBe(true);
      const [withProfile, withoutProfile] = [await pixels(bytes, false), await pixels(bytes, true)];
      expect(withProfile.equals(withoutProfile), `${format}: the profile must matter`).toBe(false);
      const decoded = Buffer.from((await decodeForPdq(bytes, options)).pixels.data);
      expect(decoded.equals(applied ? withProfile : withoutProfile), format).toBe(true);
    }
  });

  it('EXIF orientation: ignored by default, applied on request and recorded in pdqMode', async () => {
    const stored = await raw(rgbPixels(480, 360, 5), 3, 480, 360)
      .jpeg({ quality: 95 })
      .toBuffer();
    const tagged = await sharp(stored).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(tagged).metadata()).orientation).toBe(6);
    const plain = await hashMedia(await sharp(tagged).jpeg({ quality: 95 }).toBuffer()); // tag stripped
    const ignored = await hashMedia(tagged);
    const applied = await hashMedia(tagged, { exifOrientation: 'apply' });
    expect(ignored.pdqMode).toBe('reference-no-exif-rotate');
    expect(applied.pdqMode).toBe('reference-exif-rotate');
    expect(hammingDistance(ignored.pdq!, plain.pdq!)).toBeLessThanOrEqual(8);
    // Orientation 6 displays the stored image turned 90 degrees clockwise: PDQ's rotate270.
    expect(hammingDistance(applied.pdq!, ignored.pdq!)).toBeGreaterThan(60);
    expect(
      hammingDistance(applied.pdq!, ignored.pdqDihedral[DIHEDRAL_NAMES.indexOf('rotate270')]!),
    ).toBeLessThanOrEqual(12);
  });

  describe.skipIf(!hasPdqTestData)("on Meta's colour-mode test images (one photo, several modes)", () => {
    const expected = new Map(loadExpectedPdq().images.map((image) => [image.path, image]));
    const hashOfFile = async (file: string) => hashOf(readFileSync(path.join(pdqTestDataDir, file)));

    it("16-bit: a 16-bit copy of the bridge photo hashes as Meta's Java tool hashes it", async () => {
      // Java PDQPhotoHasherTool on this very file (samples v * 256 + 0xff) gave this hash; truncating
      // to the high byte (libvips, Pillow) gives the 8-bit photo's hash, 2 bits away.
      const javaHash = 'f8f8f0cee0f4a84f06370a22038f67f0b36e2ed596221e1d33e6b39c4e9c9b22';
      const photo = await sharp(path.join(pdqTestDataDir, 'bridge-mods/aaa-orig.jpg')).raw().toBuffer({
        resolveWithObject: true,
      });
      const { width, height } = photo.info;
      const samples = Array.from(photo.data, (v) => v * 256 + 0xff);
      const result = await hashOf(encodePng({ width, height, bitDepth: 16, colorType: 2, samples }));
      expect(result.pdq).toBe(javaHash);
      expect(hammingDistance(javaHash, expected.get('bridge-mods/aaa-orig.jpg')!.hash)).toBe(2);
    });

    it('pins the distance of each mode from the RGB JPEG: L 0, P 2, CMYK 6 bits', async () => {
      const rgb = await hashOfFile('misc-images/modes/RGB.jpg');
      const distances: Record<string, number> = {};
      for (const mode of ['L.png', 'P.png', 'CMYK.jpg']) {
        const result = await hashOfFile(`misc-images/modes/${mode}`);
        expect(result.pdq).toBe(expected.get(`misc-images/modes/${mode}`)?.hash);
        distances[mode] = hammingDistance(result.pdq!, rgb.pdq!);
      }
      expect(distances).toEqual({ 'L.png': 0, 'P.png': 2, 'CMYK.jpg': 6 });
    });
  });
});
