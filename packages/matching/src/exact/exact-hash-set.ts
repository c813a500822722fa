import { TriageError } from '@triage/errors';
import { invalidHash, readHexWords, writeHexWords } from '../hex.ts';

/** Cryptographic hashes the known-hash lists carry, with their size in 32-bit words. */
export const exactHashWords = { md5: 4, sha1: 5, sha256: 8 } as const;
export type ExactHashAlgorithm = keyof typeof exactHashWords;

export interface ExactHashSetOptions {
  readonly algorithm: ExactHashAlgorithm;
  /** Distinct hashes to make room for up front (the table doubles when 3/4 full). Default 1024. */
  readonly expectedSize?: number;
}

const noRefs: readonly number[] = Object.freeze([]);
/** A value with this bit set is an index into the overflow lists; otherwise it is ref + 1 (0 = free). */
const listFlag = 0x80000000;
/** Largest ref: refs are stored as ref + 1 below `listFlag`. */
export const maxExactRef = 0x7ffffffe;

/**
 * Known cryptographic hashes (MD5, SHA-1 or SHA-256, one algorithm per set), each with the refs (entry
 * ids) of the list entries that carry it. The hashes are binary keys inline in one Uint32Array, an
 * open-addressing table (linear probing, backward-shift deletion) with a Uint32Array of values beside
 * it: ~20 bytes per slot for MD5 (24 SHA-1, 36 SHA-256) at a load of 3/8..3/4, instead of ~100+ for a
 * Map of hex strings. A hash with one ref (the usual case) keeps it inline; more go to a side list.
 * Hex input is case-insensitive; a malformed hash throws TRIAGE_HASH_INVALID.
 */
export class ExactHashSet {
  readonly algorithm: ExactHashAlgorithm;
  readonly #width: number;
  #keys: Uint32Array;
  #values: Uint32Array;
  #shift: number;
  #size = 0;
  #refCount = 0;
  readonly #lists: (number[] | undefined)[] = [];
  readonly #freeLists: number[] = [];
  readonly #key: Uint32Array;

  constructor(options: ExactHashSetOptions) {
    const width = exactHashWords[options.algorithm];
    if (width === undefined)
      throw new TriageError(
        'TRIAGE_CONFIG_INVALID',
        `unknown exact hash algorithm ${String(options.algorithm)}`,
      );
    this.algorithm = options.algorithm;
    this.#width = width;
    let bits = 4;
    while (1 << bits < (options.expectedSize ?? 1024) / 0.75) bits++;
    this.#keys = new Uint32Array((1 << bits) * width);
    this.#values = new Uint32Array(1 << bits);
    this.#shift = 32 - bits;
    this.#key = new Uint32Array(width);
  }

  /** Distinct hashes. */
  get size(): number {
    return this.#size;
  }

  /** (hash, ref) pairs. */
  get refCount(): number {
    return this.#refCount;
  }

  /** Adds `ref` to `hex`'s refs; false when it was already there. */
  add(hex: string, ref: number): boolean {
    if (!Number.isInteger(ref) || ref < 0 || ref > maxExactRef)
      throw new TriageError(
        'TRIAGE_INTERNAL',
        `ExactHashSet refs are integers in 0..${maxExactRef}, got ${ref}`,
      );
    this.#parse(hex);
    let slot = this.#find();
    if (slot < 0) {
      if ((this.#size + 1) * 4 > this.#values.length * 3) this.#resize(this.#values.length * 2);
      slot = ~this.#find();
      this.#keys.set(this.#key, slot * this.#width);
      this.#values[slot] = ref + 1;
      this.#size++;
      this.#refCount++;
      return true;
    }
    const value = this.#values[slot]!;
    if (value & listFlag) {
      const list = this.#lists[value & ~listFlag]!;
      if (list.includes(ref)) return false;
      list.push(ref);
    } else {
      if (value - 1 === ref) return false;
      this.#values[slot] = this.#newList([value - 1, ref]);
    }
    this.#refCount++;
    return true;
  }

  /** Removes `ref` from `hex`'s refs (and the hash with its last ref); false when it was not there. */
  remove(hex: string, ref: number): boolean {
    this.#parse(hex);
    const slot = this.#find();
    if (slot < 0) return false;
    const value = this.#values[slot]!;
    if (value & listFlag) {
      const index = value & ~listFlag;
      const list = this.#lists[index]!;
      const at = list.indexOf(ref);
      if (at < 0) return false;
      list.splice(at, 1);
      this.#refCount--;
      if (list.length === 1) {
        this.#values[slot] = list[0]! + 1;
        this.#freeList(index);
      }
      return true;
    }
    if (value - 1 !== ref) return false;
    this.#deleteSlot(slot);
    this.#refCount--;
    return true;
  }

  /** Removes `hex` with all its refs; false when it was not there. */
  delete(hex: string): boolean {
    this.#parse(hex);
    const slot = this.#find();
    if (slot < 0) return false;
    const value = this.#values[slot]!;
    if (value & listFlag) {
      this.#refCount -= this.#lists[value & ~listFlag]!.length;
      this.#freeList(value & ~listFlag);
    } else this.#refCount--;
    this.#deleteSlot(slot);
    return true;
  }

  /** The refs of `hex` (empty when unknown), in the order they were added. */
  get(hex: string): readonly number[] {
    this.#parse(hex);
    const slot = this.#find();
    if (slot < 0) return noRefs;
    const value = this.#values[slot]!;
    return value & listFlag ? [...this.#lists[value & ~listFlag]!] : [value - 1];
  }

  has(hex: string): boolean {
    this.#parse(hex);
    return this.#find() >= 0;
  }

  /** Every hash (lower-case hex) with its refs, in table order. */
  *entries(): IterableIterator<[string, readonly number[]]> {
    for (let slot = 0; slot < this.#values.length; slot++) {
      const value = this.#values[slot]!;
      if (value === 0) continue;
      const refs = value & listFlag ? [...this.#lists[value & ~listFlag]!] : [value - 1];
      yield [writeHexWords(this.#keys, slot * this.#width, this.#width), refs];
    }
  }

  /** Bytes held: the table's typed arrays plus an estimate for the overflow lists. */
  memoryBytes(): number {
    let lists = 0;
    for (const list of this.#lists) if (list) lists += 32 + 8 * list.length;
    return this.#keys.byteLength + this.#values.byteLength + lists;
  }

  #parse(hex: string): void {
    if (typeof hex !== 'string' || !readHexWords(hex, this.#width, this.#key, 0))
      throw invalidHash(this.algorithm.toUpperCase(), this.#width * 8, hex);
  }

  #home(keys: Uint32Array, offset: number): number {
    return Math.imul(keys[offset]! ^ Math.imul(keys[offset + 1]!, 0x85ebca6b), 0x9e3779b1) >>> this.#shift;
  }

  /** Slot of the parsed key, or ~(the free slot where it would go). */
  #find(): number {
    const key = this.#key;
    const keys = this.#keys;
    const values = this.#values;
    const width = this.#width;
    const mask = values.length - 1;
    for (let slot = this.#home(key, 0); ; slot = (slot + 1) & mask) {
      if (values[slot] === 0) return ~slot;
      const base = slot * width;
      let equal = true;
      for (let w = 0; w < width; w++)
        if (keys[base + w] !== key[w]) {
          equal = false;
          break;
        }
      if (equal) return slot;
    }
  }

  #deleteSlot(slot: number): void {
    const keys = this.#keys;
    const values = this.#values;
    const width = this.#width;
    const mask = values.length - 1;
    let hole = slot;
    for (let j = (slot + 1) & mask; values[j] !== 0; j = (j + 1) & mask) {
      const home = this.#home(keys, j * width);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys.copyWithin(hole * width, j * width, j * width + width);
        values[hole] = values[j]!;
        hole = j;
      }
    }
    values[hole] = 0;
    this.#size--;
  }

  #newList(refs: number[]): number {
    const index = this.#freeLists.pop() ?? this.#lists.length;
    this.#lists[index] = refs;
    return (listFlag | index) >>> 0;
  }

  #freeList(index: number): void {
    this.#lists[index] = undefined;
    this.#freeLists.push(index);
  }

  #resize(capacity: number): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    const width = this.#width;
    this.#keys = new Uint32Array(capacity * width);
    this.#values = new Uint32Array(capacity);
    this.#shift = 32 - Math.log2(capacity);
    const mask = capacity - 1;
    for (let old = 0; old < oldValues.length; old++) {
      if (oldValues[old] === 0) continue;
      let slot = this.#home(oldKeys, old * width);
      while (this.#values[slot] !== 0) slot = (slot + 1) & mask;
      this.#keys.set(oldKeys.subarray(old * width, old * width + width), slot * width);
      this.#values[slot] = oldValues[old]!;
    }
  }
}
