import { describe, expect, it } from 'vitest';
import { generateClusteredHashes } from '../testing/clustered-hashes.ts';
import { createRng } from '../testing/rng.ts';
import { clusterRows } from './cluster-rows.ts';
import { formatPdqHash, pdqWords } from './pdq-hash.ts';

describe('clusterRows', () => {
  it('sorts the live rows of the range by key, stably, removed rows last, moving ids with hashes', () => {
    const rows = 30_000;
    const data = generateClusteredHashes({ count: rows, seed: 1 });
    const rng = createRng(2);
    const store = {
      hashes: data.words.slice(),
      ids: Uint32Array.from({ length: rows }, (_, i) => 1000 + i),
      alive: Uint8Array.from({ length: rows }, () => (rng.float() < 0.8 ? 1 : 0)),
    };
    const before = new Map<number, string>();
    for (let row = 0; row < rows; row++)
      before.set(store.ids[row]!, `${store.alive[row]}:${formatPdqHash(store.hashes, row * pdqWords)}`);
    const start = 100;
    const end = 29_000;
    const bits = 15;
    const aliveInRange = store.alive.subarray(start, end).reduce((a, b) => a + b, 0);

    const live = clusterRows(store, start, end, bits);

    expect(live).toBe(aliveInRange);
    const after = new Map<number, string>();
    for (let row = 0; row < rows; row++)
      after.set(store.ids[row]!, `${store.alive[row]}:${formatPdqHash(store.hashes, row * pdqWords)}`);
    expect(after).toEqual(before);
    for (let row = 0; row < start; row++) expect(store.ids[row]).toBe(1000 + row);
    for (let row = end; row < rows; row++) expect(store.ids[row]).toBe(1000 + row);
    for (let row = start; row < end; row++) expect(store.alive[row]).toBe(row < start + live ? 1 : 0);
    for (let row = start + 1; row < start + live; row++) {
      const key = store.hashes[row * pdqWords]! >>> (32 - bits);
      const previous = store.hashes[(row - 1) * pdqWords]! >>> (32 - bits);
      expect(key).toBeGreaterThanOrEqual(previous);
      if (key === previous) expect(store.ids[row]!).toBeGreaterThan(store.ids[row - 1]!);
    }
    for (let row = start + live + 1; row < end; row++)
      expect(store.ids[row]!).toBeGreaterThan(store.ids[row - 1]!);
  });
});
