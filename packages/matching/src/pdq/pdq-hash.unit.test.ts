import { describe, expect, it } from 'vitest';
import { createRng } from '../testing/rng.ts';
import { formatPdqHash, parsePdqHash, pdqDistance, popcount32 } from './pdq-hash.ts';
import { maskCount, maskTable, slotKey, slotLayout, slotRadii } from './slots.ts';

// Meta's published hash of bridge-1-original.jpg (docs/pdq.md).
const bridge = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';

function naiveDistance(a: string, b: string): number {
  let bits = 0;
  for (let i = 0; i < 64; i++) {
    let x = Number.parseInt(a[i]!, 16) ^ Number.parseInt(b[i]!, 16);
    for (; x; x >>= 1) bits += x & 1;
  }
  return bits;
}

function randomHex(seed: number): string {
  const rng = createRng(seed);
  return Array.from({ length: 8 }, () => rng.u32().toString(16).padStart(8, '0')).join('');
}

describe('PDQ hash words', () => {
  it('reads the hex as a big-endian number, word 0 first, and writes it back', () => {
    const words = parsePdqHash(bridge);
    expect(words[0]).toBe(0xf8f8f0ce);
    expect(words[7]).toBe(0x4e9c9b22);
    expect(formatPdqHash(words)).toBe(bridge);
    expect(formatPdqHash(parsePdqHash(bridge.toUpperCase()))).toBe(bridge);
  });

  it.each([
    ['too short', bridge.slice(1)],
    ['too long', `${bridge}0`],
    ['not hex', `${bridge.slice(0, 63)}g`],
    ['non-ASCII', `${bridge.slice(0, 63)}\u00e9`],
    ['a sign', `-${bridge.slice(1)}`],
  ])('rejects a hash that is %s as TRIAGE_HASH_INVALID', (_, hex) => {
    expect(() => parsePdqHash(hex)).toThrow(expect.objectContaining({ code: 'TRIAGE_HASH_INVALID' }));
  });

  it('counts differing bits like a bit-by-bit comparison, up to all 256', () => {
    for (let seed = 0; seed < 200; seed++) {
      const a = randomHex(seed);
      const b = randomHex(seed + 1000);
      expect(pdqDistance(parsePdqHash(a), parsePdqHash(b))).toBe(naiveDistance(a, b));
    }
    const ones = 'f'.repeat(64);
    const zeros = '0'.repeat(64);
    expect(pdqDistance(parsePdqHash(ones), parsePdqHash(zeros))).toBe(256);
    expect(pdqDistance(parsePdqHash(bridge), parsePdqHash(bridge))).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
  });
});

describe('slots', () => {
  it('cuts 256 bits into contiguous slots, the wider ones last', () => {
    const layout = slotLayout(11);
    expect(layout.widths).toEqual([23, 23, 23, 23, 23, 23, 23, 23, 24, 24, 24]);
    expect(layout.starts[0]).toBe(0);
    expect(layout.starts[10]! + layout.widths[10]!).toBe(256);
  });

  it('reads slot keys across word boundaries', () => {
    const words = parsePdqHash(bridge);
    const bits = [...bridge].map((c) => Number.parseInt(c, 16).toString(2).padStart(4, '0')).join('');
    const layout = slotLayout(11);
    for (let i = 0; i < 11; i++) {
      const start = layout.starts[i]!;
      const expected = Number.parseInt(bits.slice(start, start + layout.widths[i]!), 2);
      expect(slotKey(words, 0, start, layout.widths[i]!)).toBe(expected);
    }
  });

  it('gives radii that satisfy the pigeonhole bound exactly (d + 1 differing bits escape every probe)', () => {
    for (let s = 9; s <= 32; s++) {
      const layout = slotLayout(s);
      for (let d = 0; d <= 80; d++) {
        const radii = slotRadii(layout, d);
        // Fewest differing bits a pair needs to be missed: radius + 1 in every probed slot.
        const missedAt = [...radii].reduce((sum, r) => sum + r + 1, 0);
        expect(missedAt, `s=${s} d=${d}`).toBe(d + 1);
      }
    }
    expect([...slotRadii(slotLayout(11), 31)]).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1]);
  });

  it('enumerates each mask within the radius once, by weight', () => {
    const { masks, bounds } = maskTable(10, 3);
    expect(masks.length).toBe(maskCount(10, 3));
    expect(new Set(masks).size).toBe(masks.length);
    for (let w = 0; w <= 3; w++)
      for (let m = bounds[w]!; m < bounds[w + 1]!; m++) expect(popcount32(masks[m]!)).toBe(w);
    expect(maskCount(24, 2)).toBe(1 + 24 + 276);
  });
});
