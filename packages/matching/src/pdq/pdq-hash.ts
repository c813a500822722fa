import { invalidHash, readHexWords, writeHexWords } from '../hex.ts';

/** Bits in a PDQ hash. */
export const pdqBits = 256;
/** A PDQ hash as 32-bit words (word 0 = the first 8 hex digits, the most significant bits). */
export const pdqWords = 8;
/** Hex digits of a PDQ hash. */
export const pdqHexLength = 64;

/** A PDQ hash as given to the index: 64 hex digits, or its 8 words (see `parsePdqHash`). */
export type PdqHashInput = string | Uint32Array;

/**
 * Parses a PDQ hash (64 hex digits, either case) into 8 big-endian 32-bit words. Throws
 * TRIAGE_HASH_INVALID when it is not exactly 64 hex digits.
 */
export function parsePdqHash(
  hex: string,
  out: Uint32Array = new Uint32Array(pdqWords),
  offset = 0,
): Uint32Array {
  if (typeof hex !== 'string' || !readHexWords(hex, pdqWords, out, offset))
    throw invalidHash('PDQ', pdqHexLength, hex);
  return out;
}

/** Lower-case hex of the 8 words at `offset` (the inverse of `parsePdqHash`). */
export function formatPdqHash(words: Uint32Array, offset = 0): string {
  return writeHexWords(words, offset, pdqWords);
}

/** Copies a hash input into `out[offset .. offset + 8)`; throws TRIAGE_HASH_INVALID for a bad one. */
export function writePdqHash(hash: PdqHashInput, out: Uint32Array, offset: number): void {
  if (typeof hash === 'string') {
    parsePdqHash(hash, out, offset);
    return;
  }
  if (!(hash instanceof Uint32Array) || hash.length !== pdqWords)
    throw invalidHash('PDQ', pdqHexLength, hash);
  out.set(hash, offset);
}

/** Number of set bits of a 32-bit value. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Hamming distance between the hash at `a[aOffset ..]` and the one at `b[bOffset ..]` (8 words each).
 * SWAR popcount: per-word 2-bit then 4-bit sums, pairs of words added as nibbles, bytes summed at the end.
 */
export function pdqDistance(a: Uint32Array, b: Uint32Array, aOffset = 0, bOffset = 0): number {
  let total = 0;
  for (let w = 0; w < pdqWords; w += 2) {
    let x = (a[aOffset + w]! ^ b[bOffset + w]!) >>> 0;
    let y = (a[aOffset + w + 1]! ^ b[bOffset + w + 1]!) >>> 0;
    x -= (x >>> 1) & 0x55555555;
    y -= (y >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
    const s = x + y;
    total += (s & 0x0f0f0f0f) + ((s >>> 4) & 0x0f0f0f0f);
  }
  // Bytes are <= 64 each; sum them in 16-bit lanes (a multiply would overflow at distance 256).
  total = (total & 0x00ff00ff) + ((total >>> 8) & 0x00ff00ff);
  return (total & 0xffff) + (total >>> 16);
}
