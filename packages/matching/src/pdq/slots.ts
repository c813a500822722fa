import { pdqBits } from './pdq-hash.ts';

/**
 * How the 256 bits are cut into slots for multi-index hashing. Bit 0 is the most significant bit of
 * word 0. Slots are contiguous; the narrow ones come first, so when `maxDistance` is not a multiple of
 * the slot count the wide (costlier to probe) slots are the ones probed at the smaller radius.
 */
export interface SlotLayout {
  readonly count: number;
  /** Bits per slot, ascending. */
  readonly widths: readonly number[];
  /** First bit of each slot. */
  readonly starts: readonly number[];
}

export function slotLayout(count: number): SlotLayout {
  const base = Math.floor(pdqBits / count);
  const wide = pdqBits - base * count;
  const widths: number[] = [];
  const starts: number[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const width = i < count - wide ? base : base + 1;
    widths.push(width);
    starts.push(start);
    start += width;
  }
  return { count, widths, starts };
}

/** The `width`-bit value at bit `start` of the hash at `words[base ..]` (at most 31 bits, two words). */
export function slotKey(words: Uint32Array, base: number, start: number, width: number): number {
  const word = start >>> 5;
  const end = (start & 31) + width;
  const mask = (1 << width) - 1;
  if (end <= 32) return (words[base + word]! >>> (32 - end)) & mask;
  const spill = end - 32;
  return ((words[base + word]! << spill) | (words[base + word + 1]! >>> (32 - spill))) & mask;
}

/**
 * Probe radius per slot for an exact search at `maxDistance` (the generalised pigeonhole principle).
 * With s slots, d = s*r + a (0 <= a < s): if every one of the first a+1 slots differed by more than
 * r bits and every other slot by more than r-1, the hashes would differ by at least
 * (a+1)(r+1) + (s-a-1)r = d + 1 bits. So any hash within d has some slot i within radius[i] of the
 * query. A radius of -1 means the slot need not be probed at all.
 */
export function slotRadii(layout: SlotLayout, maxDistance: number): Int8Array {
  const s = layout.count;
  const r = Math.floor(maxDistance / s);
  const a = maxDistance - s * r;
  const radii = new Int8Array(s);
  for (let i = 0; i < s; i++) radii[i] = i <= a ? r : r - 1;
  return radii;
}

/** Every value of `bits` bits within Hamming distance `radius` of 0, by weight. */
export interface MaskTable {
  readonly masks: Uint32Array;
  /** masks of weight w are `masks[bounds[w] .. bounds[w + 1])`. */
  readonly bounds: Uint32Array;
}

const maskTables = new Map<number, MaskTable>();

/** Number of masks `maskTable(bits, radius)` would hold. */
export function maskCount(bits: number, radius: number): number {
  let total = 0;
  let choose = 1;
  for (let k = 0; k <= Math.min(radius, bits); k++) {
    total += choose;
    choose = (choose * (bits - k)) / (k + 1);
  }
  return total;
}

export function maskTable(bits: number, radius: number): MaskTable {
  const r = Math.min(radius, bits);
  const key = bits * 64 + r;
  const cached = maskTables.get(key);
  if (cached) return cached;
  const masks = new Uint32Array(maskCount(bits, r));
  const bounds = new Uint32Array(r + 2);
  let n = 0;
  const emit = (weight: number, from: number, value: number) => {
    if (weight === 0) {
      masks[n++] = value;
      return;
    }
    for (let bit = from; bit < bits; bit++) emit(weight - 1, bit + 1, (value | (1 << bit)) >>> 0);
  };
  for (let w = 0; w <= r; w++) {
    bounds[w] = n;
    emit(w, 0, 0);
  }
  bounds[r + 1] = n;
  const table = { masks, bounds };
  maskTables.set(key, table);
  return table;
}
