import { formatPdqHash } from '@triage/matching';
import { describe, expect, it } from 'vitest';
import { ProbeDetector } from './probe-detector.ts';

const options = { nearBits: 8, maxBoundaryPairs: 4, windowMs: 60_000, cooldownMs: 600_000 };

/** A seeded 256-bit hash, and the same with its first `bits` bits flipped. */
function hashWithFlips(seed: number, bits: number): string {
  const words = new Uint32Array(8);
  let state = seed;
  for (let i = 0; i < 8; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    words[i] = state;
  }
  for (let bit = 0; bit < bits; bit++) words[bit >> 5]! ^= 1 << (bit & 31);
  return formatPdqHash(words);
}

describe('ProbeDetector', () => {
  it('given a walk of near-identical queries across a match boundary, then the hoster is throttled for the cooldown', () => {
    const detector = new ProbeDetector(options);
    // A prober flips bits of a matching hash one at a time until the answer turns.
    const walk = Array.from({ length: 6 }, (_, step) => ({ pdq: hashWithFlips(1, step), matched: step < 3 }));
    const verdict = detector.observe('prober', walk, 1_000);
    expect(verdict.boundaryPairs).toBe(9);
    expect(verdict.throttledUntil).toBe(601_000);
    expect(detector.throttledUntil('prober', 2_000)).toBe(601_000);
    expect(detector.throttledUntil('prober', 601_001)).toBeNull();
    expect(detector.throttledUntil('someone-else', 2_000)).toBeNull();
  });

  it('given many near-identical copies that all match, then no boundary and no throttle', () => {
    const detector = new ProbeDetector(options);
    const copies = Array.from({ length: 50 }, (_, step) => ({
      pdq: hashWithFlips(2, step % 6),
      matched: true,
    }));
    expect(detector.observe('hoster', copies, 1_000)).toEqual({ boundaryPairs: 0, throttledUntil: null });
  });

  it('given matching and non-matching queries far apart, then they are no pair', () => {
    const detector = new ProbeDetector(options);
    const unrelated = Array.from({ length: 20 }, (_, seed) => ({
      pdq: hashWithFlips(seed + 10, 0),
      matched: seed % 2 === 0,
    }));
    expect(detector.observe('hoster', unrelated, 1_000)).toEqual({ boundaryPairs: 0, throttledUntil: null });
  });

  it('given boundary pairs spread over more than the window, then the old ones are forgotten', () => {
    const detector = new ProbeDetector(options);
    const pair = (seed: number) => [
      { pdq: hashWithFlips(seed, 0), matched: true },
      { pdq: hashWithFlips(seed, 2), matched: false },
    ];
    for (let batch = 0; batch < 10; batch++) {
      const verdict = detector.observe('slow', pair(100 + batch), batch * 40_000);
      expect(verdict.throttledUntil).toBeNull();
      expect(verdict.boundaryPairs).toBeLessThanOrEqual(2);
    }
  });

  it('given a bounded memory, then only the most recent non-matching queries are compared', () => {
    const detector = new ProbeDetector({ ...options, maxRemembered: 2 });
    const near = [0, 1, 2].map((step) => ({ pdq: hashWithFlips(3, step), matched: false }));
    detector.observe('hoster', near, 1_000);
    const verdict = detector.observe('hoster', [{ pdq: hashWithFlips(3, 3), matched: true }], 1_001);
    expect(verdict.boundaryPairs).toBe(2);
  });
  it('given two queries 15 bits apart with the flips spread one per 16-bit chunk, then they are still found as a pair, and 16 apart are not', () => {
    const detector = new ProbeDetector({ ...options, nearBits: 15, maxBoundaryPairs: 100 });
    const spread = (seed: number, flips: number) => {
      const words = new Uint32Array(8).fill(seed);
      for (let chunk = 0; chunk < flips; chunk++) words[chunk >> 1]! ^= 1 << ((chunk & 1) * 16 + 3);
      return formatPdqHash(words);
    };
    detector.observe('hoster', [{ pdq: spread(0x1234_5678, 0), matched: true }], 1_000);
    expect(
      detector.observe('hoster', [{ pdq: spread(0x1234_5678, 15), matched: false }], 1_001).boundaryPairs,
    ).toBe(1);
    expect(
      detector.observe('hoster', [{ pdq: spread(0x1234_5678, 16), matched: false }], 1_002).boundaryPairs,
    ).toBe(1);
    expect(() => new ProbeDetector({ ...options, nearBits: 16 })).toThrow(RangeError);
  });
});
