import { describe, expect, it } from 'vitest';
import { DIHEDRAL_NAMES } from './dct.ts';
import { hammingDistance, torbenMedian, ZERO_HASH } from './hash256.ts';
import { downsampleTo64 } from './jarosz.ts';
import { pdqFromPixels } from './pdq.ts';

/**
 * The reference's structure, transcribed literally from Meta's Java `PDQHasher` (four full-image
 * box-filter passes with a running sum per row and per column, then decimation). The fused,
 * streaming `downsampleTo64` must give the same float32 values on any image.
 */
function literalDownsample(pixels: Uint8Array, rows: number, cols: number, channels: 1 | 3): Float32Array {
  const luma = new Float32Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) {
    luma[i] =
      channels === 1
        ? pixels[i]!
        : Math.fround(
            Math.fround(Math.fround(0.299) * pixels[3 * i]!) +
              Math.fround(Math.fround(0.587) * pixels[3 * i + 1]!),
          ) + Math.fround(Math.fround(0.114) * pixels[3 * i + 2]!);
  }
  const box1D = (
    input: Float32Array,
    inStart: number,
    out: Float32Array,
    n: number,
    stride: number,
    w: number,
  ) => {
    const half = Math.trunc((w + 2) / 2);
    let li = 0;
    let ri = 0;
    let oi = 0;
    let sum = 0;
    let size = 0;
    for (let i = 0; i < half - 1; i++, ri += stride, size++) sum = Math.fround(sum + input[inStart + ri]!);
    for (let i = 0; i < w - half + 1; i++, ri += stride, oi += stride) {
      sum = Math.fround(sum + input[inStart + ri]!);
      size++;
      out[inStart + oi] = sum / size;
    }
    for (let i = 0; i < n - w; i++, li += stride, ri += stride, oi += stride) {
      sum = Math.fround(sum + input[inStart + ri]!);
      sum = Math.fround(sum - input[inStart + li]!);
      out[inStart + oi] = sum / size;
    }
    for (let i = 0; i < half - 1; i++, li += stride, oi += stride) {
      sum = Math.fround(sum - input[inStart + li]!);
      size--;
      out[inStart + oi] = sum / size;
    }
  };
  const wRows = Math.trunc((cols + 127) / 128);
  const wCols = Math.trunc((rows + 127) / 128);
  const other = new Float32Array(rows * cols);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < rows; i++) box1D(luma, i * cols, other, cols, 1, wRows);
    for (let j = 0; j < cols; j++) box1D(other, j, luma, rows, cols, wCols);
  }
  const out = new Float32Array(4096);
  for (let i = 0; i < 64; i++) {
    const ini = Math.trunc(((i + 0.5) * rows) / 64);
    for (let j = 0; j < 64; j++) out[i * 64 + j] = luma[ini * cols + Math.trunc(((j + 0.5) * cols) / 64)]!;
  }
  return out;
}

/** Deterministic bytes with structure (gradients) and noise, so box sums are not trivially exact. */
function syntheticPixels(rows: number, cols: number, channels: 1 | 3, seed: number, noise = 32): Uint8Array {
  let state = seed >>> 0;
  const data = new Uint8Array(rows * cols * channels);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      for (let c = 0; c < channels; c++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const gradient = ((i * 255) / rows + (j * 127) / cols + c * 40) % 256;
        data[(i * cols + j) * channels + c] = Math.max(
          0,
          Math.min(255, Math.round(gradient + ((state >>> 24) * noise) / 256 - noise / 2)),
        );
      }
    }
  }
  return data;
}

describe('downsampleTo64 (fused Jarosz filter and decimation)', () => {
  // Sizes around window-size steps (127/128/129, 255/256/257, 383...), narrow and tall images,
  // sizes under 64 (repeated decimation indices), odd and even windows, and every row count modulo
  // 4 (rows go through the row passes four at a time).
  const sizes: [number, number][] = [
    [5, 5],
    [6, 131],
    [7, 300],
    [300, 7],
    [63, 65],
    [64, 64],
    [127, 128],
    [129, 255],
    [256, 257],
    [258, 66],
    [383, 384],
    [385, 130],
    [513, 1000],
    [1004, 1600],
  ];
  for (const [rows, cols] of sizes) {
    for (const channels of [1, 3] as const) {
      it(`matches the literal four-pass reference on ${cols}x${rows}, ${channels} channel(s)`, () => {
        const pixels = syntheticPixels(rows, cols, channels, rows * 7919 + cols);
        expect(downsampleTo64(pixels, rows, cols, channels)).toEqual(
          literalDownsample(pixels, rows, cols, channels),
        );
      });
    }
  }
});

describe('pdqFromPixels', () => {
  it('gives images under 5 px in either dimension the zero hash and quality 0', () => {
    for (const [width, height] of [
      [4, 100],
      [100, 4],
      [1, 1],
    ] as const) {
      const result = pdqFromPixels({
        data: syntheticPixels(height, width, 3, 1),
        width,
        height,
        channels: 3,
      });
      expect(result).toEqual({ hash: ZERO_HASH, quality: 0, dihedral: Array(8).fill(ZERO_HASH) });
    }
  });

  it('hashes a 5x5 image (the smallest size) normally', () => {
    const result = pdqFromPixels({ data: syntheticPixels(5, 5, 3, 2), width: 5, height: 5, channels: 3 });
    expect(result.hash).not.toBe(ZERO_HASH);
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a flat image quality 0 (nothing to match on)', () => {
    const flat = new Uint8Array(200 * 150 * 3).fill(128);
    expect(pdqFromPixels({ data: flat, width: 200, height: 150, channels: 3 }).quality).toBe(0);
  });

  it('derives the 8 dihedral variants from the DCT: rotating the pixels lands near the matching variant', () => {
    const rows = 240;
    const cols = 320;
    const pixels = syntheticPixels(rows, cols, 1, 3, 2);
    // PDQ's "rotate 90" is counter-clockwise: pixel (i, j) goes to row cols - 1 - j, column i.
    const rotated = new Uint8Array(rows * cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) rotated[(cols - 1 - j) * rows + i] = pixels[i * cols + j]!;
    const original = pdqFromPixels({ data: pixels, width: cols, height: rows, channels: 1 });
    const turned = pdqFromPixels({ data: rotated, width: rows, height: cols, channels: 1 });
    const distances = original.dihedral.map((variant) => hammingDistance(turned.hash, variant));
    expect(distances[DIHEDRAL_NAMES.indexOf('rotate90')]).toBeLessThanOrEqual(8);
    expect(hammingDistance(turned.hash, original.hash)).toBeGreaterThan(60);
    expect(original.dihedral[0]).toBe(original.hash);
  });

  it('rejects a pixel buffer shorter than its dimensions say', () => {
    expect(() => pdqFromPixels({ data: new Uint8Array(10), width: 10, height: 10, channels: 3 })).toThrow(
      RangeError,
    );
  });
});

describe('torbenMedian', () => {
  it('returns the lower median of an even count, as sorted[127] of 256 values', () => {
    const values = new Float32Array(256);
    for (let i = 0; i < 256; i++) values[i] = Math.fround(Math.sin(i * 12.9898) * 43758.5453);
    const sorted = [...values].sort((a, b) => a - b);
    expect(torbenMedian(values)).toBe(sorted[127]);
  });

  it('handles ties', () => {
    const values = new Float32Array(256).fill(1);
    values.fill(2, 200);
    expect(torbenMedian(values)).toBe(1);
  });
});

describe('hammingDistance', () => {
  it('counts differing bits and rejects malformed hashes', () => {
    expect(hammingDistance(ZERO_HASH, 'f'.repeat(64))).toBe(256);
    expect(hammingDistance(ZERO_HASH, `${'0'.repeat(63)}3`)).toBe(2);
    expect(hammingDistance('A'.repeat(64), 'a'.repeat(64))).toBe(0);
    expect(() => hammingDistance('abc', ZERO_HASH)).toThrow(RangeError);
  });
});
