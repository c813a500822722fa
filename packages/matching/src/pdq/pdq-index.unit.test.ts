import { describe, expect, it } from 'vitest';
import {
  createBitFlipper,
  generateClusteredHashes,
  generateQueries,
  LinearScan,
  randomPdqHash,
} from '../testing/index.ts';
import { createRng } from '../testing/rng.ts';
import { formatPdqHash, pdqWords } from './pdq-hash.ts';
import { PdqIndex } from './pdq-index.ts';
import { slotLayout, slotRadii } from './slots.ts';

const flip = createBitFlipper();

/** The hash `bits` bits away from row `row` of `words`. */
function near(words: Uint32Array, row: number, bits: number, seed: number): Uint32Array {
  const out = new Uint32Array(pdqWords);
  flip(createRng(seed), words, row * pdqWords, bits, out, 0);
  return out;
}

function random(seed: number): Uint32Array {
  const out = new Uint32Array(pdqWords);
  randomPdqHash(createRng(seed), out, 0);
  return out;
}

function hashAt(words: Uint32Array, row: number): Uint32Array {
  return words.slice(row * pdqWords, row * pdqWords + pdqWords);
}

/**
 * The hash with exactly `counts[i]` bits flipped inside slot i of the default 11-slot layout: the
 * worst case of the pigeonhole bound spreads the differences as evenly as the slots allow.
 */
function spread(words: Uint32Array, row: number, counts: readonly number[], seed: number): Uint32Array {
  const rng = createRng(seed);
  const out = hashAt(words, row);
  const layout = slotLayout(11);
  counts.forEach((count, slot) => {
    const picked = new Set<number>();
    while (picked.size < count) picked.add(layout.starts[slot]! + rng.int(layout.widths[slot]!));
    for (const bit of picked) out[bit >>> 5]! ^= 1 << (31 - (bit & 31));
  });
  return out;
}

/** Reference model: id -> hash, scanned linearly. */
function reference(model: Map<number, Uint32Array>): LinearScan {
  return LinearScan.fromEntries(model);
}

describe('PdqIndex exactness against a linear scan (50k clustered hashes)', () => {
  const count = 50_000;
  const data = generateClusteredHashes({ count, seed: 11, maxFamilySize: 3000 });
  const ids = Uint32Array.from({ length: count }, (_, i) => i * 3 + 1);
  // A small tail and merge factor so the index has several segments plus an unindexed tail.
  const index = new PdqIndex({ tailLimit: 2000, mergeFactor: 2 });
  for (let start = 0; start < count; start += 7000) {
    const end = Math.min(count, start + 7000);
    index.addMany(ids.subarray(start, end), data.words.subarray(start * pdqWords, end * pdqWords));
    index.query([random(start)]); // lets the index build and merge segments between batches
  }
  const linear = new LinearScan(data.words, ids);

  it('holds every row, in more than one segment plus a tail', () => {
    const stats = index.stats();
    expect(index.size).toBe(count);
    expect(stats.segments.length).toBeGreaterThan(1);
    expect(stats.segments.reduce((sum, s) => sum + s.live, 0) + stats.tailRows).toBe(count);
  });

  it('returns exactly the linear scan result for near-duplicate and unrelated queries', () => {
    const queries = generateQueries(data, { count: 400, seed: 5, maxEdit: 24 });
    let hits = 0;
    for (let i = 0; i < queries.count; i++) {
      const q = hashAt(queries.words, i);
      const expected = linear.query([q], 31);
      expect(index.query([q], 31), `query ${i}`).toEqual(expected);
      hits += expected.length > 0 ? 1 : 0;
    }
    expect(hits).toBeGreaterThan(150);
  });

  it('finds an entry at distance exactly 31 and not at 32', () => {
    const rng = createRng(3);
    for (let i = 0; i < 300; i++) {
      const row = rng.int(count);
      for (const bits of [31, 32]) {
        const q = near(data.words, row, bits, i * 2 + bits);
        const result = index.query([q], 31);
        expect(result, `row ${row} at ${bits}`).toEqual(linear.query([q], 31));
        const own = result.find((m) => m.id === ids[row]);
        if (bits === 31) expect(own).toEqual({ id: ids[row], distance: 31, variant: 0 });
        else expect(own).toBeUndefined();
      }
    }
  });

  it('finds neighbours whose differences are spread so that only one slot is within its probe radius', () => {
    const rng = createRng(6);
    for (const maxDistance of [31, 5, 11, 20, 32, 40]) {
      const radii = [...slotRadii(slotLayout(11), maxDistance)];
      for (let slot = 0; slot < 11; slot++) {
        if (radii[slot]! < 0) continue;
        // Every slot one bit beyond its radius except `slot`, which sits exactly on it: distance d.
        const counts = radii.map((r, i) => (i === slot ? r : r + 1));
        expect(counts.reduce((a, b) => a + b)).toBe(maxDistance);
        const row = rng.int(count);
        const q = spread(data.words, row, counts, slot);
        const result = index.query([q], maxDistance);
        expect(result, `d=${maxDistance} slot ${slot}`).toEqual(linear.query([q], maxDistance));
        expect(result.find((m) => m.id === ids[row])?.distance).toBe(maxDistance);
      }
    }
  });

  it('is exact at other thresholds too, including ones where probing would cost more than a scan', () => {
    const queries = generateQueries(data, { count: 60, seed: 9, maxEdit: 40 });
    for (const maxDistance of [0, 5, 10, 22, 33, 45, 70]) {
      for (let i = 0; i < queries.count; i++) {
        const q = hashAt(queries.words, i);
        expect(index.query([q], maxDistance), `d=${maxDistance} query ${i}`).toEqual(
          linear.query([q], maxDistance),
        );
      }
    }
  });

  it('reports which variant matched, keeping the closest one per entry', () => {
    const rng = createRng(4);
    for (let i = 0; i < 100; i++) {
      const row = rng.int(count);
      const variants = Array.from({ length: 8 }, (_, v) => random(1000 + i * 8 + v));
      const slot = rng.int(8);
      variants[slot] = near(data.words, row, 6, i);
      // Another variant at 20 bits must lose to the one at 6.
      variants[(slot + 3) % 8] = near(data.words, row, 20, i + 5000);
      const result = index.query(variants, 31);
      expect(result).toEqual(linear.query(variants, 31));
      expect(result.find((m) => m.id === ids[row])).toEqual({ id: ids[row], distance: 6, variant: slot });
    }
  });

  it('breaks a distance tie between variants in favour of the lower variant index', () => {
    const row = 17;
    const a = near(data.words, row, 9, 1);
    const b = near(data.words, row, 9, 2);
    expect(index.query([random(1), b, a], 31).find((m) => m.id === ids[row])).toEqual({
      id: ids[row],
      distance: 9,
      variant: 1,
    });
  });
});

describe('PdqIndex updates', () => {
  const count = 20_000;
  const data = generateClusteredHashes({ count, seed: 21, maxFamilySize: 2000 });

  function loaded(options: ConstructorParameters<typeof PdqIndex>[0] = {}) {
    const index = new PdqIndex({ tailLimit: 1000, ...options });
    const model = new Map<number, Uint32Array>();
    for (let row = 0; row < count; row++) {
      index.add(row, hashAt(data.words, row));
      model.set(row, hashAt(data.words, row));
    }
    index.optimize();
    return { index, model };
  }

  function expectSame(index: PdqIndex, model: Map<number, Uint32Array>, seed: number, queries = 150) {
    const linear = reference(model);
    const set = generateQueries(data, { count: queries, seed, maxEdit: 20 });
    for (let i = 0; i < set.count; i++) {
      const q = hashAt(set.words, i);
      expect(index.query([q]), `query ${i}`).toEqual(linear.query([q]));
    }
  }

  it('never returns a removed entry, before and after compaction', () => {
    const { index, model } = loaded();
    const rng = createRng(8);
    for (let i = 0; i < 3000; i++) {
      const id = rng.int(count);
      expect(index.remove(id)).toBe(model.delete(id));
    }
    expect(index.size).toBe(model.size);
    expect(index.stats().removedRows).toBe(count - model.size);
    // Every removed row is still in the slot tables: queries must filter it.
    for (let id = 0; id < count; id++) {
      if (model.has(id)) continue;
      const q = hashAt(data.words, id);
      expect(index.query([q]).some((m) => m.id === id)).toBe(false);
    }
    expectSame(index, model, 1);
    // Past compactRatio (default 1/4), the next query compacts.
    for (let id = 0; id < count && model.size > count * 0.6; id++)
      expect(index.remove(id)).toBe(model.delete(id));
    expectSame(index, model, 2);
    expect(index.stats().removedRows).toBe(0);
    expect(index.stats().rows).toBe(model.size);
    expect(index.remove(0)).toBe(false);
  });

  it('finds entries added after the build: in the tail, then in new segments that merge', () => {
    const { index, model } = loaded();
    const extra = generateClusteredHashes({ count: 6000, seed: 22, maxFamilySize: 500 });
    let added = 0;
    for (let batch = 0; batch < 12; batch++) {
      for (let i = 0; i < 500; i++, added++) {
        const id = count + added;
        index.add(id, hashAt(extra.words, added));
        model.set(id, hashAt(extra.words, added));
      }
      // Queries that hit the new rows specifically.
      const linear = reference(model);
      for (let k = 0; k < 10; k++) {
        const q = near(extra.words, added - 1 - k * 37, 12, batch * 100 + k);
        expect(index.query([q])).toEqual(linear.query([q]));
      }
    }
    expect(index.stats().segments.length).toBeGreaterThan(1);
    expectSame(index, model, 3);
    index.optimize();
    expect(index.stats().segments.length).toBe(1);
    expect(index.stats().tailRows).toBe(0);
    expectSame(index, model, 4);
  });

  it('replaces the hash of an id added again, and ignores an identical re-add', () => {
    const { index, model } = loaded();
    const before = index.stats().rows;
    expect(index.add(5, hashAt(data.words, 5))).toBe(false);
    expect(index.stats().rows).toBe(before);
    const moved = random(77);
    expect(index.add(5, formatPdqHash(moved))).toBe(true);
    model.set(5, moved);
    expect(index.hashOf(5)).toBe(formatPdqHash(moved));
    expect(index.query([hashAt(data.words, 5)], 0).some((m) => m.id === 5)).toBe(false);
    expect(index.query([moved], 0)).toContainEqual({ id: 5, distance: 0, variant: 0 });
    expect(index.size).toBe(count);
    expectSame(index, model, 5, 50);
  });

  it('keeps duplicates of one hash under different ids apart, and a 3000-member family exact', () => {
    const index = new PdqIndex({ tailLimit: 100, dedupeThreshold: 64 });
    const model = new Map<number, Uint32Array>();
    const centre = random(9);
    const rng = createRng(10);
    for (let id = 0; id < 3000; id++) {
      const member = new Uint32Array(pdqWords);
      flip(rng, centre, 0, id < 50 ? 0 : rng.int(21), member, 0);
      index.add(id, member);
      model.set(id, member);
    }
    for (let id = 3000; id < 8000; id++) {
      const other = random(id);
      index.add(id, other);
      model.set(id, other);
    }
    const linear = reference(model);
    for (let k = 0; k < 20; k++) {
      const q = new Uint32Array(pdqWords);
      flip(rng, centre, 0, k, q, 0);
      const result = index.query([q]);
      expect(result).toEqual(linear.query([q]));
      expect(new Set(result.map((m) => m.id)).size).toBe(result.length);
    }
    expect(index.query([centre], 0).filter((m) => m.distance === 0).length).toBeGreaterThanOrEqual(50);
  });

  it('with autoMaintain off, scans what it has not indexed and indexes only on optimize()', () => {
    const index = new PdqIndex({ tailLimit: 10, autoMaintain: false });
    const model = new Map<number, Uint32Array>();
    for (let row = 0; row < 3000; row++) {
      index.add(row, hashAt(data.words, row));
      model.set(row, hashAt(data.words, row));
    }
    const q = near(data.words, 10, 4, 1);
    expect(index.query([q])).toEqual(reference(model).query([q]));
    expect(index.stats().segments.length).toBe(0);
    index.optimize();
    expect(index.stats()).toMatchObject({ tailRows: 0, segments: [{ rows: 3000, live: 3000 }] });
    expect(index.query([q])).toEqual(reference(model).query([q]));
  });

  it('returns nothing from an empty index, and accepts upper-case hex', () => {
    const index = new PdqIndex();
    expect(index.query([random(1)])).toEqual([]);
    const hex = formatPdqHash(random(2));
    index.add(1, hex.toUpperCase());
    expect(index.query([hex])).toEqual([{ id: 1, distance: 0, variant: 0 }]);
  });

  it('rejects malformed hashes, bad ids, bad thresholds and bad options', () => {
    const index = new PdqIndex();
    expect(() => index.add(1, 'abc')).toThrow(expect.objectContaining({ code: 'TRIAGE_HASH_INVALID' }));
    expect(() => index.add(1, new Uint32Array(4))).toThrow(
      expect.objectContaining({ code: 'TRIAGE_HASH_INVALID' }),
    );
    expect(() => index.query(['zz'])).toThrow(expect.objectContaining({ code: 'TRIAGE_HASH_INVALID' }));
    expect(index.size).toBe(0);
    expect(() => index.add(-1, random(1))).toThrow(expect.objectContaining({ code: 'TRIAGE_INTERNAL' }));
    expect(() => index.add(0xffffffff, random(1))).toThrow(
      expect.objectContaining({ code: 'TRIAGE_INTERNAL' }),
    );
    expect(() => index.query([random(1)], 257)).toThrow(expect.objectContaining({ code: 'TRIAGE_INTERNAL' }));
    expect(() => new PdqIndex({ slots: 8 })).toThrow(
      expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID' }),
    );
    expect(() => new PdqIndex({ compactRatio: 0 })).toThrow(
      expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID' }),
    );
  });

  it('estimates its memory from the typed arrays it holds', () => {
    const { index } = loaded();
    const stats = index.stats();
    expect(stats.storeBytes).toBeGreaterThanOrEqual(count * (32 + 4 + 1));
    // 11 slot tables of one 4-byte entry per row, plus offsets.
    expect(stats.indexBytes).toBeGreaterThanOrEqual(11 * 4 * count);
    expect(index.memoryBytes()).toBe(
      stats.indexBytes + stats.storeBytes + stats.idTableBytes + stats.scratchBytes,
    );
  });
});
