/**
 * PDQ steps 7 and 8 (docs/pdq.md): the 256 bits from a 16x16 DCT, and their hex form, plus the
 * Hamming distance used for matching.
 */

/**
 * Torben's median (Meta's `MatrixUtil.torben`), verbatim including its float32 midpoint, so ties
 * and duplicates resolve as in the reference. For 256 values it returns the lower median.
 */
export function torbenMedian(values: Float32Array): number {
  const n = values.length;
  const midn = (n + 1) >> 1;
  let min = values[0]!;
  let max = values[0]!;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let less = 0;
  let greater = 0;
  let equal = 0;
  let guess = 0;
  let maxLessThanGuess = 0;
  let minGreaterThanGuess = 0;
  for (;;) {
    guess = Math.fround(Math.fround(min + max) / 2);
    less = 0;
    greater = 0;
    equal = 0;
    maxLessThanGuess = min;
    minGreaterThanGuess = max;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v < guess) {
        less++;
        if (v > maxLessThanGuess) maxLessThanGuess = v;
      } else if (v > guess) {
        greater++;
        if (v < minGreaterThanGuess) minGreaterThanGuess = v;
      } else equal++;
    }
    if (less <= midn && greater <= midn) break;
    if (less > greater) max = maxLessThanGuess;
    else min = minGreaterThanGuess;
  }
  if (less >= midn) return maxLessThanGuess;
  if (less + equal >= midn) return guess;
  return minGreaterThanGuess;
}

/**
 * Bit k = i * 16 + j is set iff dct[k] is strictly greater than the median. Hex: 16 words of 16 bits
 * (bit k in word k >> 4 at bit k & 15), printed w[15]..w[0], 4 lower-case hex digits each.
 */
export function bitsToHex(dct16x16: Float32Array): string {
  const median = torbenMedian(dct16x16);
  const words = new Uint16Array(16);
  for (let k = 0; k < 256; k++) {
    if (dct16x16[k]! > median) words[k >> 4] = words[k >> 4]! | (1 << (k & 15));
  }
  let hex = '';
  for (let w = 15; w >= 0; w--) hex += words[w]!.toString(16).padStart(4, '0');
  return hex;
}

/** The all-zero hash given to images smaller than 5 px in either dimension. */
export const ZERO_HASH = '0'.repeat(64);

const HEX_256 = /^[0-9a-f]{64}$/;

/** Hamming distance between two 64-hex-digit PDQ hashes (case-insensitive). */
export function hammingDistance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  if (!HEX_256.test(left) || !HEX_256.test(right)) {
    throw new RangeError('PDQ hashes are 64 hex digits');
  }
  let distance = 0;
  for (let i = 0; i < 64; i += 8) {
    let x = (Number.parseInt(left.slice(i, i + 8), 16) ^ Number.parseInt(right.slice(i, i + 8), 16)) >>> 0;
    while (x !== 0) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}
