import { describe, expect, it } from 'vitest';
import { pdqDistance, pdqWords } from '../pdq/pdq-hash.ts';
import { createBitFlipper, generateClusteredHashes, generateQueries } from './clustered-hashes.ts';
import { createRng } from './rng.ts';

describe('clustered hash generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateClusteredHashes({ count: 5000, seed: 3 });
    const b = generateClusteredHashes({ count: 5000, seed: 3 });
    const c = generateClusteredHashes({ count: 5000, seed: 4 });
    expect(a.words).toEqual(b.words);
    expect(a.family).toEqual(b.family);
    expect(a.words).not.toEqual(c.words);
  });

  it('puts members within maxMemberDistance of their centre, with a heavy-tailed family size', () => {
    const data = generateClusteredHashes({ count: 200_000, seed: 5, maxMemberDistance: 20 });
    let members = 0;
    for (let row = 0; row < data.count; row++) {
      const f = data.family[row]!;
      if (f < 0) continue;
      members++;
      expect(pdqDistance(data.words, data.centres, row * pdqWords, f * pdqWords)).toBeLessThanOrEqual(20);
    }
    expect(members).toBe(Math.round(200_000 * 0.6));
    const sizes = [...data.familySizes].sort((x, y) => y - x);
    expect(sizes[0]).toBeGreaterThan(500);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThanOrEqual(4);
    expect(sizes.reduce((s, x) => s + x)).toBe(members);
  });

  it('flips exactly the number of bits asked for', () => {
    const flip = createBitFlipper();
    const rng = createRng(1);
    const source = Uint32Array.from({ length: 8 }, () => rng.u32());
    const out = new Uint32Array(8);
    for (const bits of [0, 1, 31, 32, 128, 256]) {
      flip(rng, source, 0, bits, out, 0);
      expect(pdqDistance(source, out)).toBe(bits);
    }
  });

  it('derives hit queries from indexed rows and the rest at random', () => {
    const data = generateClusteredHashes({ count: 10_000, seed: 6 });
    const queries = generateQueries(data, { count: 1000, seed: 1, hitFraction: 0.5, maxEdit: 10 });
    let hits = 0;
    for (let i = 0; i < queries.count; i++) {
      const row = queries.sourceRow[i]!;
      if (row < 0) continue;
      hits++;
      expect(pdqDistance(queries.words, data.words, i * pdqWords, row * pdqWords)).toBeLessThanOrEqual(10);
    }
    expect(hits).toBeGreaterThan(400);
    expect(hits).toBeLessThan(600);
  });
});
