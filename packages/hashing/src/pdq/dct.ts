/**
 * PDQ steps 5, 6 and 9 (docs/pdq.md): the quality metric on the 64x64 image, the 16x16 DCT, and the
 * dihedral transforms of that DCT (no re-hashing), all in float32 like the reference.
 */

/** D[i][j] = float32(float32(sqrt(2/64)) * cos(pi / 128 * (i + 1) * (2j + 1))), 16x64 row-major. */
const DCT_MATRIX = (() => {
  const scale = Math.fround(Math.sqrt(2 / 64));
  const matrix = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      matrix[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
    }
  }
  return matrix;
})();

/**
 * Quality 0..100: sum of |trunc((u - v) * 100 / 255)| over vertical then horizontal neighbour
 * pairs (float32 arithmetic), integer-divided by 90, capped at 100.
 */
export function pdqQuality(image64: Float32Array): number {
  let gradientSum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      const d = Math.fround(
        Math.fround(Math.fround(image64[i * 64 + j]! - image64[(i + 1) * 64 + j]!) * 100) / 255,
      );
      gradientSum += Math.abs(Math.trunc(d));
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      const d = Math.fround(
        Math.fround(Math.fround(image64[i * 64 + j]! - image64[i * 64 + j + 1]!) * 100) / 255,
      );
      gradientSum += Math.abs(Math.trunc(d));
    }
  }
  return Math.min(100, Math.trunc(gradientSum / 90));
}

/** B = D A D^T (16x16, row-major) with float32 accumulation: T = D A first, then B = T D^T. */
export function dct64To16(image64: Float32Array): Float32Array {
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++)
        sum = Math.fround(sum + Math.fround(DCT_MATRIX[i * 64 + k]! * image64[k * 64 + j]!));
      t[i * 64 + j] = sum;
    }
  }
  const b = new Float32Array(16 * 16);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++)
        sum = Math.fround(sum + Math.fround(t[i * 64 + k]! * DCT_MATRIX[j * 64 + k]!));
      b[i * 16 + j] = sum;
    }
  }
  return b;
}

/** Names of the 8 dihedral variants, in the reference's (and `Hashes.pdqDihedral`'s) order. */
export const DIHEDRAL_NAMES = [
  'original',
  'rotate90',
  'rotate180',
  'rotate270',
  'flipX',
  'flipY',
  'flipPlus1',
  'flipMinus1',
] as const;

export type DihedralName = (typeof DIHEDRAL_NAMES)[number];

/**
 * For each variant: whether the 16x16 DCT is transposed, and the sign of coefficient (i, j) of the
 * original as a function of the parities of i and j (Java `dct16OriginalTo*`).
 */
const DIHEDRAL_RULES: Record<
  DihedralName,
  { transpose: boolean; negate: (i: number, j: number) => boolean }
> = {
  original: { transpose: false, negate: () => false },
  rotate90: { transpose: true, negate: (_i, j) => (j & 1) === 0 },
  rotate180: { transpose: false, negate: (i, j) => ((i + j) & 1) !== 0 },
  rotate270: { transpose: true, negate: (i) => (i & 1) === 0 },
  flipX: { transpose: false, negate: (i) => (i & 1) === 0 },
  flipY: { transpose: false, negate: (_i, j) => (j & 1) === 0 },
  flipPlus1: { transpose: true, negate: () => false },
  flipMinus1: { transpose: true, negate: (i, j) => ((i + j) & 1) !== 0 },
};

/** The DCT the reference would compute for the image turned or flipped as `name` says. */
export function dihedralDct(dct16x16: Float32Array, name: DihedralName): Float32Array {
  const { transpose, negate } = DIHEDRAL_RULES[name];
  const out = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const value = dct16x16[i * 16 + j]!;
      out[transpose ? j * 16 + i : i * 16 + j] = negate(i, j) ? -value : value;
    }
  }
  return out;
}
