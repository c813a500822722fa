import { describe, expect, it } from 'vitest';
import { createRng } from '../testing/rng.ts';
import { placeDirect, placeInTwoPasses } from './segment.ts';

describe('slot table placement', () => {
  it.each([
    [15, 3],
    [16, 0],
    [19, 4],
    [21, 2],
  ])('gives the same runs in one counting sort or two passes (top %i bits, low %i)', (top, low) => {
    const rng = createRng(top * 10 + low);
    const rows = 200_000;
    const width = top + low;
    // Clustered keys (a few very common ones) and removed rows, as in a real segment.
    const common = Array.from({ length: 5 }, () => rng.int(2 ** width));
    const keys = Uint32Array.from({ length: rows }, () =>
      rng.float() < 0.3 ? common[rng.int(5)]! : rng.int(2 ** width),
    );
    const start = 7;
    const alive = new Uint8Array(start + rows);
    let live = 0;
    for (let k = 0; k < rows; k++) {
      alive[start + k] = rng.float() < 0.9 ? 1 : 0;
      live += alive[start + k]!;
    }
    const direct = { offset: new Uint32Array((1 << top) + 1), entry: new Uint32Array(live) };
    placeDirect(keys, alive, start, low, direct.offset, direct.entry);
    const twoPass = { offset: new Uint32Array((1 << top) + 1), entry: new Uint32Array(live) };
    placeInTwoPasses(keys, alive, start, top, low, twoPass.offset, twoPass.entry, {
      tops: new Uint32Array(0),
      values: new Uint32Array(0),
    });
    expect(twoPass.offset).toEqual(direct.offset);
    expect(twoPass.entry).toEqual(direct.entry);
    // And the runs are right: every entry sits in the run of its key's top bits, rows ascending.
    for (let t = 0; t < 1 << top; t += 97) {
      let previous = -1;
      for (let p = direct.offset[t]!; p < direct.offset[t + 1]!; p++) {
        const row = direct.entry[p]! >>> low;
        expect(keys[row]! >>> low).toBe(t);
        expect(row).toBeGreaterThan(previous);
        previous = row;
      }
    }
  });
});
