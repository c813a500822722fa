import { seededRandom } from './synthetic-images.ts';

/** Draws from one seeded stream: the same seed makes the same choices in the same order. */
export interface Random {
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `count` distinct items in random order (all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[];
}

export function createRandom(seed: number): Random {
  const next = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(0, items.length - 1)]!;
    },
    chance: (probability) => next() < probability,
    sample: (items, count) => {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index--) {
        const other = int(0, index);
        [copy[index], copy[other]] = [copy[other]!, copy[index]!];
      }
      return copy.slice(0, Math.max(0, count));
    },
  };
}

/** A 32-bit seed for one named thing of a feed (FNV-1a over the parts), so images do not shift when the plan changes elsewhere. */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}/${parts.join('/')}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** `length` lowercase hex digits from the stream (ids, device ids, URL paths). */
export function randomHex(random: Random, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(random.next() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return out.slice(0, length);
}
