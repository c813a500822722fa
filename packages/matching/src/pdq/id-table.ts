/** Marks a free slot; it is therefore not a valid id. */
const empty = 0xffffffff;

/**
 * Map from a uint32 entry id to its row, as two typed arrays with open addressing (linear probing,
 * backward-shift deletion, no tombstones). ~8-16 bytes per id, against ~50 for a JS Map, and no
 * 2^24-entry ceiling.
 */
export class IdTable {
  #keys: Uint32Array;
  #rows: Uint32Array;
  #shift: number;
  #size = 0;

  constructor(expected = 0) {
    let bits = 4;
    while (1 << bits < expected / 0.7) bits++;
    this.#keys = new Uint32Array(1 << bits).fill(empty);
    this.#rows = new Uint32Array(1 << bits);
    this.#shift = 32 - bits;
  }

  get size(): number {
    return this.#size;
  }

  get bytes(): number {
    return this.#keys.byteLength + this.#rows.byteLength;
  }

  /** The row of `id`, or -1. */
  get(id: number): number {
    const keys = this.#keys;
    const mask = keys.length - 1;
    for (let i = Math.imul(id, 0x9e3779b1) >>> this.#shift; ; i = (i + 1) & mask) {
      const key = keys[i]!;
      if (key === id) return this.#rows[i]!;
      if (key === empty) return -1;
    }
  }

  /** Sets or replaces the row of `id` (`id` must not be 0xffffffff). */
  set(id: number, row: number): void {
    if ((this.#size + 1) / this.#keys.length > 0.7) this.#resize(this.#keys.length * 2);
    const keys = this.#keys;
    const mask = keys.length - 1;
    for (let i = Math.imul(id, 0x9e3779b1) >>> this.#shift; ; i = (i + 1) & mask) {
      const key = keys[i]!;
      if (key === id) {
        this.#rows[i] = row;
        return;
      }
      if (key === empty) {
        keys[i] = id;
        this.#rows[i] = row;
        this.#size++;
        return;
      }
    }
  }

  /** Removes `id`; returns its row, or -1 when it was absent. */
  delete(id: number): number {
    const keys = this.#keys;
    const rows = this.#rows;
    const mask = keys.length - 1;
    let i = Math.imul(id, 0x9e3779b1) >>> this.#shift;
    for (; ; i = (i + 1) & mask) {
      const key = keys[i]!;
      if (key === id) break;
      if (key === empty) return -1;
    }
    const row = rows[i]!;
    // Backward shift: move later members of the probe run into the hole when their home allows it.
    let hole = i;
    for (let j = (i + 1) & mask; keys[j] !== empty; j = (j + 1) & mask) {
      const home = Math.imul(keys[j]!, 0x9e3779b1) >>> this.#shift;
      // j may move to hole when home is not in the cyclic range (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j]!;
        rows[hole] = rows[j]!;
        hole = j;
      }
    }
    keys[hole] = empty;
    this.#size--;
    return row;
  }

  #resize(capacity: number): void {
    const oldKeys = this.#keys;
    const oldRows = this.#rows;
    this.#keys = new Uint32Array(capacity).fill(empty);
    this.#rows = new Uint32Array(capacity);
    this.#shift = 32 - Math.log2(capacity);
    this.#size = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== empty) this.set(oldKeys[i]!, oldRows[i]!);
  }
}
