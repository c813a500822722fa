import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '../testing/rng.ts';
import { ExactHashSet } from './exact-hash-set.ts';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('ExactHashSet', () => {
  it('keeps the refs of each hash, in the order added, case-insensitively', () => {
    const set = new ExactHashSet({ algorithm: 'md5' });
    const a = md5('a');
    expect(set.add(a, 7)).toBe(true);
    expect(set.add(a.toUpperCase(), 9)).toBe(true);
    expect(set.add(a, 7)).toBe(false);
    expect(set.get(a)).toEqual([7, 9]);
    expect(set.has(a.toUpperCase())).toBe(true);
    expect(set.get(md5('b'))).toEqual([]);
    expect(set.size).toBe(1);
    expect(set.refCount).toBe(2);
  });

  it('removes one ref, then the hash with its last ref; delete drops all refs', () => {
    const set = new ExactHashSet({ algorithm: 'sha1' });
    const h = createHash('sha1').update('x').digest('hex');
    set.add(h, 1);
    set.add(h, 2);
    set.add(h, 3);
    expect(set.remove(h, 2)).toBe(true);
    expect(set.remove(h, 2)).toBe(false);
    expect(set.get(h)).toEqual([1, 3]);
    expect(set.remove(h, 1)).toBe(true);
    expect(set.get(h)).toEqual([3]);
    expect(set.remove(h, 3)).toBe(true);
    expect(set.has(h)).toBe(false);
    expect(set.size).toBe(0);
    set.add(h, 4);
    set.add(h, 5);
    expect(set.delete(h)).toBe(true);
    expect(set.delete(h)).toBe(false);
    expect(set.refCount).toBe(0);
  });

  it('agrees with a Map model over 200k random operations with growth and deletions', () => {
    const rng = createRng(1);
    const set = new ExactHashSet({ algorithm: 'sha256', expectedSize: 16 });
    const model = new Map<string, number[]>();
    const pool = Array.from({ length: 20_000 }, (_, i) =>
      createHash('sha256').update(String(i)).digest('hex'),
    );
    for (let op = 0; op < 200_000; op++) {
      const hex = pool[rng.int(pool.length)]!;
      const ref = rng.int(4);
      const refs = model.get(hex) ?? [];
      const roll = rng.float();
      if (roll < 0.55) {
        expect(set.add(hex, ref)).toBe(!refs.includes(ref));
        if (!refs.includes(ref)) model.set(hex, [...refs, ref]);
      } else if (roll < 0.9) {
        expect(set.remove(hex, ref)).toBe(refs.includes(ref));
        const left = refs.filter((r) => r !== ref);
        if (left.length > 0) model.set(hex, left);
        else model.delete(hex);
      } else {
        expect(set.delete(hex)).toBe(model.has(hex));
        model.delete(hex);
      }
    }
    expect(set.size).toBe(model.size);
    expect(set.refCount).toBe([...model.values()].reduce((sum, refs) => sum + refs.length, 0));
    for (const hex of pool) expect(set.get(hex), hex).toEqual(model.get(hex) ?? []);
    expect(new Map(set.entries())).toEqual(model);
  });

  it('rejects a hash of the wrong length or with a non-hex character', () => {
    const set = new ExactHashSet({ algorithm: 'md5' });
    expect(() => set.add('abc', 1)).toThrow(expect.objectContaining({ code: 'TRIAGE_HASH_INVALID' }));
    expect(() => set.get(`${md5('a').slice(0, 31)}x`)).toThrow(
      expect.objectContaining({ code: 'TRIAGE_HASH_INVALID' }),
    );
    expect(() => set.add(md5('a'), -1)).toThrow(expect.objectContaining({ code: 'TRIAGE_INTERNAL' }));
    expect(() => new ExactHashSet({ algorithm: 'crc32' as 'md5' })).toThrow(
      expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID' }),
    );
  });

  it('holds 100k MD5 hashes in typed arrays of under 64 bytes per hash', () => {
    const set = new ExactHashSet({ algorithm: 'md5' });
    for (let i = 0; i < 100_000; i++) set.add(md5(String(i)), i);
    expect(set.size).toBe(100_000);
    expect(set.memoryBytes() / set.size).toBeLessThan(64);
    expect(set.get(md5('4242'))).toEqual([4242]);
  });
});
