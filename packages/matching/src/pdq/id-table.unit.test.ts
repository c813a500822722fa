import { describe, expect, it } from 'vitest';
import { createRng } from '../testing/rng.ts';
import { IdTable } from './id-table.ts';

describe('IdTable', () => {
  it('agrees with a Map over random sets and deletes, through growth and backward shifts', () => {
    const rng = createRng(2);
    const table = new IdTable(8);
    const model = new Map<number, number>();
    // Few distinct ids (dense runs) and a few huge ones, so probe runs collide and wrap.
    const id = () => (rng.float() < 0.9 ? rng.int(5000) : 0xfffffff0 + rng.int(15));
    for (let op = 0; op < 100_000; op++) {
      const key = id();
      if (rng.float() < 0.6) {
        const row = rng.int(1 << 28);
        expect(table.put(key, row)).toBe(model.get(key) ?? -1);
        model.set(key, row);
      } else {
        expect(table.delete(key)).toBe(model.get(key) ?? -1);
        model.delete(key);
      }
    }
    expect(table.size).toBe(model.size);
    for (let key = 0; key < 5000; key++) expect(table.get(key)).toBe(model.get(key) ?? -1);
    for (let key = 0xfffffff0; key < 0xffffffff; key++) expect(table.get(key)).toBe(model.get(key) ?? -1);
  });
});
