import { formatPdqHash, pdqDistance, pdqWords } from '@triage/matching';
import { createBitFlipper, createRng, type Rng, randomPdqHash } from '@triage/matching/testing';
import { describe, expect, it } from 'vitest';
import { pdqSegmentMaxDistance, pdqSegments, pdqSegmentTerms } from './pdq-segments.ts';

/** What the media index does: a document is a candidate when it holds any of the query's terms. */
function isCandidate(documentHex: string, queryHex: string, maxDistance: number): boolean {
  const { exact, neighbours } = pdqSegmentTerms(queryHex, maxDistance);
  const terms = new Set([...exact, ...neighbours]);
  return pdqSegments(documentHex).some((segment) => terms.has(segment));
}

const randomHash = (rng: Rng) => {
  const words = new Uint32Array(pdqWords);
  randomPdqHash(rng, words, 0);
  return words;
};

/**
 * The hardest case for the pigeonhole argument: `bits` flips spread as evenly as possible over the
 * 16 segments (in a random order of segments, at random positions within each), so no segment has
 * fewer flips than it must.
 */
function spreadFlips(rng: Rng, source: Uint32Array, bits: number): Uint32Array {
  const out = Uint32Array.from(source);
  const order = Array.from({ length: 16 }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let k = 0; k < 16; k++) {
    const segment = order[k]!;
    const flips = Math.floor(bits / 16) + (k < bits % 16 ? 1 : 0);
    const positions = Array.from({ length: 16 }, (_, i) => i);
    for (let f = 0; f < flips; f++) {
      const j = f + rng.int(16 - f);
      [positions[f], positions[j]] = [positions[j]!, positions[f]!];
      // Segment s is bits [16s, 16s + 16) counted from the most significant bit of word 0.
      const bit = segment * 16 + positions[f]!;
      out[bit >>> 5]! ^= 1 << (31 - (bit & 31));
    }
  }
  return out;
}

describe('pdqSegments', () => {
  it('given a hash, then 16 position-prefixed 4-digit segments that spell it, lower case', () => {
    const hex = `${'0123456789ABCDEF'.repeat(3)}00000000ffffffff`;
    const segments = pdqSegments(hex);
    expect(segments).toHaveLength(16);
    expect(segments.slice(0, 5)).toEqual(['0:0123', '1:4567', '2:89ab', '3:cdef', '4:0123']);
    expect(segments.slice(12)).toEqual(['12:0000', '13:0000', '14:ffff', '15:ffff']);
    expect(segments.map((segment) => segment.split(':')[1]).join('')).toBe(hex.toLowerCase());
  });

  it('given a malformed hash, then TRIAGE_HASH_INVALID', () => {
    expect(() => pdqSegments('ab'.repeat(31))).toThrow(
      expect.objectContaining({ code: 'TRIAGE_HASH_INVALID' }),
    );
    expect(() => pdqSegments('g'.repeat(64))).toThrow(
      expect.objectContaining({ code: 'TRIAGE_HASH_INVALID' }),
    );
  });
});

describe('pdqSegmentTerms', () => {
  it('given distance up to 15, then the 16 exact terms only; from 16, plus 256 one-bit neighbours', () => {
    const hex = formatPdqHash(randomHash(createRng(1)));
    expect(pdqSegmentTerms(hex, 15)).toEqual({ exact: pdqSegments(hex), neighbours: [] });
    const wide = pdqSegmentTerms(hex, 16);
    expect(wide.exact).toEqual(pdqSegments(hex));
    expect(wide.neighbours).toHaveLength(256);
    expect(new Set([...wide.exact, ...wide.neighbours]).size).toBe(272);
    // Every neighbour is one bit away from its segment at the same position.
    for (const neighbour of wide.neighbours) {
      const [position, value] = neighbour.split(':');
      const own = wide.exact[Number(position)]!.split(':')[1]!;
      const xor = Number.parseInt(value!, 16) ^ Number.parseInt(own, 16);
      expect(xor & (xor - 1)).toBe(0);
      expect(xor).not.toBe(0);
    }
  });

  it('given a distance outside 0..31, then a RangeError', () => {
    const hex = 'a'.repeat(64);
    expect(() => pdqSegmentTerms(hex, pdqSegmentMaxDistance + 1)).toThrow(RangeError);
    expect(() => pdqSegmentTerms(hex, -1)).toThrow(RangeError);
    expect(() => pdqSegmentTerms(hex, 1.5)).toThrow(RangeError);
  });
});

describe('recall of the segment terms (multi-index hashing)', () => {
  const trials = 200;

  it('given random hashes at every distance 0..31 (random and evenly spread flips), then a query at that distance or more always finds them', () => {
    const rng = createRng(0x5eed);
    const flip = createBitFlipper();
    let checked = 0;
    for (let distance = 0; distance <= pdqSegmentMaxDistance; distance++) {
      for (let trial = 0; trial < trials; trial++) {
        const query = randomHash(rng);
        const random = new Uint32Array(pdqWords);
        flip(rng, query, 0, distance, random, 0);
        const spread = spreadFlips(rng, query, distance);
        for (const near of [random, spread]) {
          expect(pdqDistance(query, near)).toBe(distance);
          // The query distance at which the item must be found, and the cap: both must find it.
          for (const maxDistance of [distance, pdqSegmentMaxDistance]) {
            const found = isCandidate(formatPdqHash(near), formatPdqHash(query), maxDistance);
            if (!found) {
              expect.fail(`missed ${formatPdqHash(near)} at distance ${distance} (query ${maxDistance})`);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(32 * trials * 2 * 2);
  });

  it('given 16 evenly spread flips, then the exact terms alone miss it (why the neighbours are probed from 16)', () => {
    const rng = createRng(7);
    const query = randomHash(rng);
    const near = spreadFlips(rng, query, 16);
    expect(pdqDistance(query, near)).toBe(16);
    const exactOnly = new Set(pdqSegmentTerms(formatPdqHash(query), 15).exact);
    expect(pdqSegments(formatPdqHash(near)).some((segment) => exactOnly.has(segment))).toBe(false);
    expect(isCandidate(formatPdqHash(near), formatPdqHash(query), 16)).toBe(true);
  });

  it('given 32 evenly spread flips, then even the neighbours miss it (why the cap is 31)', () => {
    const rng = createRng(9);
    const query = randomHash(rng);
    const far = spreadFlips(rng, query, 32);
    expect(pdqDistance(query, far)).toBe(32);
    expect(isCandidate(formatPdqHash(far), formatPdqHash(query), pdqSegmentMaxDistance)).toBe(false);
  });
});
