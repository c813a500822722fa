import { type PdqHashInput, pdqDistance, pdqWords, writePdqHash } from '../pdq/pdq-hash.ts';
import type { PdqMatch } from '../pdq/types.ts';

/**
 * The brute-force baseline: compares a query with every stored hash. The reference for exactness
 * tests and the baseline of the benchmark (a fair one: the same SWAR popcount as the index, and it
 * gives up on a row once half of it already differs by more than `maxDistance`).
 */
export class LinearScan {
  readonly #words: Uint32Array;
  readonly #ids: Uint32Array;

  /** `words` holds 8 words per entry; `ids` defaults to the row numbers. */
  constructor(words: Uint32Array, ids?: Uint32Array) {
    const rows = Math.floor(words.length / pdqWords);
    this.#words = words;
    this.#ids = ids ?? Uint32Array.from({ length: rows }, (_, i) => i);
  }

  static fromEntries(entries: Iterable<readonly [number, PdqHashInput]>): LinearScan {
    const list = [...entries];
    const words = new Uint32Array(list.length * pdqWords);
    list.forEach(([, hash], i) => {
      writePdqHash(hash, words, i * pdqWords);
    });
    return new LinearScan(
      words,
      Uint32Array.from(list, ([id]) => id),
    );
  }

  get size(): number {
    return this.#ids.length;
  }

  /** Same contract as `PdqIndex.query`. */
  query(variants: readonly PdqHashInput[], maxDistance = 31): PdqMatch[] {
    const q = new Uint32Array(variants.length * pdqWords);
    variants.forEach((variant, v) => {
      writePdqHash(variant, q, v * pdqWords);
    });
    const words = this.#words;
    const matches: PdqMatch[] = [];
    for (let row = 0; row < this.#ids.length; row++) {
      const b = row * pdqWords;
      let best = maxDistance + 1;
      let bestVariant = -1;
      for (let v = 0; v < variants.length; v++) {
        const qo = v * pdqWords;
        if (halfDistance(words, b, q, qo) > maxDistance) continue;
        const distance = pdqDistance(words, q, b, qo);
        if (distance < best) {
          best = distance;
          bestVariant = v;
        }
      }
      if (bestVariant >= 0) matches.push({ id: this.#ids[row]!, distance: best, variant: bestVariant });
    }
    return matches.sort((a, b) => a.distance - b.distance || a.id - b.id);
  }
}

/** Bits differing in the first 4 words (a lower bound of the distance). */
function halfDistance(a: Uint32Array, ao: number, b: Uint32Array, bo: number): number {
  let total = 0;
  for (let w = 0; w < 4; w++) {
    let x = (a[ao + w]! ^ b[bo + w]!) >>> 0;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    total += (x + (x >>> 4)) & 0x0f0f0f0f;
  }
  return Math.imul(total, 0x01010101) >>> 24;
}
