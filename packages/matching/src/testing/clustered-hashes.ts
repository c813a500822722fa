import { pdqBits, pdqWords } from '../pdq/pdq-hash.ts';
import { createRng, type Rng } from './rng.ts';

/**
 * Synthetic PDQ-like hash lists for tests and benchmarks. Real lists are not uniform: one image
 * circulates as many near-duplicates (re-encodes, resizes, small crops), so hashes come in families
 * within a few bits of each other, and a few families are huge. Such families fill a handful of
 * index buckets and set the tail latency of a query, so an index must be measured on them.
 */
export interface ClusteredHashOptions {
  readonly count: number;
  readonly seed?: number;
  /** Share of the hashes that belong to a family (the rest are uniform random). Default 0.6. */
  readonly familyFraction?: number;
  /** Family sizes are Pareto distributed: P(size >= s) = (minFamilySize / s)^alpha. Default 1.5. */
  readonly familySizeAlpha?: number;
  /** Default 2. */
  readonly minFamilySize?: number;
  /** Cap on one family's size. Default 20 000 (also capped by the family rows left). */
  readonly maxFamilySize?: number;
  /**
   * Members differ from their family's centre by floor((max + 1) * u^1.5) bits, u uniform in [0, 1):
   * 0..max bits, mostly small (mean ~0.4 max). Default 20.
   */
  readonly maxMemberDistance?: number;
  /** Shuffle the rows (lists do not arrive grouped by family). Default true. */
  readonly shuffle?: boolean;
}

export interface ClusteredHashes {
  readonly count: number;
  /** Row i is `words[8i .. 8i + 8)`. */
  readonly words: Uint32Array;
  /** Family of each row, -1 for a uniform random one. */
  readonly family: Int32Array;
  /** Members per family. */
  readonly familySizes: Uint32Array;
  /** Family centres, 8 words each (a centre is not itself a row unless a member landed on it). */
  readonly centres: Uint32Array;
}

export function generateClusteredHashes(options: ClusteredHashOptions): ClusteredHashes {
  const count = options.count;
  const rng = createRng(options.seed ?? 1);
  const familyRows = Math.round(count * (options.familyFraction ?? 0.6));
  const alpha = options.familySizeAlpha ?? 1.5;
  const minSize = options.minFamilySize ?? 2;
  const maxSize = options.maxFamilySize ?? 20_000;
  const maxDistance = options.maxMemberDistance ?? 20;
  const words = new Uint32Array(count * pdqWords);
  const family = new Int32Array(count).fill(-1);
  const sizes: number[] = [];
  const centres: number[] = [];
  const flipper = createBitFlipper();
  const centre = new Uint32Array(pdqWords);

  let row = 0;
  while (row < familyRows) {
    const drawn = Math.floor(minSize / (1 - rng.float()) ** (1 / alpha));
    const size = Math.min(drawn, maxSize, familyRows - row);
    randomPdqHash(rng, centre, 0);
    const id = sizes.length;
    sizes.push(size);
    centres.push(...centre);
    for (let m = 0; m < size; m++, row++) {
      const distance = Math.floor((maxDistance + 1) * rng.float() ** 1.5);
      flipper(rng, centre, 0, distance, words, row * pdqWords);
      family[row] = id;
    }
  }
  for (; row < count; row++) randomPdqHash(rng, words, row * pdqWords);

  if (options.shuffle ?? true) {
    const swap = new Uint32Array(pdqWords);
    for (let i = count - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      swap.set(words.subarray(i * pdqWords, i * pdqWords + pdqWords));
      words.copyWithin(i * pdqWords, j * pdqWords, j * pdqWords + pdqWords);
      words.set(swap, j * pdqWords);
      const f = family[i]!;
      family[i] = family[j]!;
      family[j] = f;
    }
  }
  return { count, words, family, familySizes: Uint32Array.from(sizes), centres: Uint32Array.from(centres) };
}

/** Writes a uniform random hash to `out[offset .. offset + 8)`. */
export function randomPdqHash(rng: Rng, out: Uint32Array, offset: number): void {
  for (let w = 0; w < pdqWords; w++) out[offset + w] = rng.u32();
}

/**
 * Returns a function that copies the hash at `source[sourceOffset ..]` to `out[outOffset ..]` with
 * exactly `bits` distinct bits flipped (so at Hamming distance `bits` from the source).
 */
export function createBitFlipper(): (
  rng: Rng,
  source: Uint32Array,
  sourceOffset: number,
  bits: number,
  out: Uint32Array,
  outOffset: number,
) => void {
  // A persistent permutation of the bit positions: a partial Fisher-Yates of its first `bits`
  // entries picks `bits` distinct positions uniformly, whatever order it was left in.
  const positions = Uint16Array.from({ length: pdqBits }, (_, i) => i);
  return (rng, source, sourceOffset, bits, out, outOffset) => {
    for (let w = 0; w < pdqWords; w++) out[outOffset + w] = source[sourceOffset + w]!;
    for (let i = 0; i < bits; i++) {
      const j = i + rng.int(pdqBits - i);
      const bit = positions[j]!;
      positions[j] = positions[i]!;
      positions[i] = bit;
      out[outOffset + (bit >>> 5)]! ^= 1 << (bit & 31);
    }
  };
}

export interface QuerySetOptions {
  readonly count: number;
  readonly seed?: number;
  /** Share of queries that are near-duplicates of an indexed row (the rest are unrelated). Default 0.5. */
  readonly hitFraction?: number;
  /** A hit query flips 0..maxEdit bits (uniform) of a random row. Default 16. */
  readonly maxEdit?: number;
}

export interface QuerySet {
  readonly count: number;
  /** Query i is `words[8i .. 8i + 8)`. */
  readonly words: Uint32Array;
  /** The row a hit query was derived from, -1 for an unrelated query. */
  readonly sourceRow: Int32Array;
}

/** Queries against `data`: near-duplicates of random rows (so big families get their share) and unrelated hashes. */
export function generateQueries(data: ClusteredHashes, options: QuerySetOptions): QuerySet {
  const rng = createRng(options.seed ?? 2);
  const hitFraction = options.hitFraction ?? 0.5;
  const maxEdit = options.maxEdit ?? 16;
  const words = new Uint32Array(options.count * pdqWords);
  const sourceRow = new Int32Array(options.count).fill(-1);
  const flipper = createBitFlipper();
  for (let i = 0; i < options.count; i++) {
    if (data.count > 0 && rng.float() < hitFraction) {
      const row = rng.int(data.count);
      sourceRow[i] = row;
      flipper(rng, data.words, row * pdqWords, rng.int(maxEdit + 1), words, i * pdqWords);
    } else randomPdqHash(rng, words, i * pdqWords);
  }
  return { count: options.count, words, sourceRow };
}
