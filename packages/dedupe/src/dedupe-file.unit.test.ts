import type { Hashes } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { InMemoryDedupe } from './in-memory-dedupe.ts';

const options = { pdqMatchDistance: 31, pdqMinQuality: 50 };
const day = 86_400_000;

/** A 256-bit PDQ (64 hex) with its first `bits` bits set: `pdqWith(a)` and `pdqWith(b)` are |a - b| apart. */
const pdqWith = (bits: number) =>
  ((1n << 256n) - (1n << BigInt(256 - bits))).toString(16).padStart(64, '0').slice(-64);

const hashesOf = (sha256: string, pdq: string | null, pdqQuality = 90): Hashes => ({
  md5: 'a'.repeat(32),
  sha1: 'b'.repeat(40),
  sha256,
  pdq,
  pdqQuality: pdq === null ? null : pdqQuality,
  pdqDihedral: [],
  pdqMode: pdq === null ? null : 'reference-no-exif-rotate',
  perceptualStatus: pdq === null ? 'not_image' : 'hashed',
  errorCode: null,
});

const sha = (letter: string) => letter.repeat(64);

/** Report `reportId` received on day `onDay` carrying file `letter` with the given PDQ. */
const file = (letter: string, reportId: string, onDay: number, pdq: string | null, quality?: number) => ({
  sha256: sha(letter),
  reportId,
  itemId: `${reportId}/${letter}`,
  receivedAt: onDay * day,
  hashes: hashesOf(sha(letter), pdq, quality),
});

describe('dedupeFile (through InMemoryDedupe)', () => {
  it('given a file carried by two reports, when the second comes, then it is counted second and the first report is the first sighting', () => {
    const dedupe = new InMemoryDedupe(options);
    const first = dedupe.observe(file('a', 'p:1', 1, pdqWith(0)));
    const second = dedupe.observe(file('a', 'p:2', 2, pdqWith(0)));
    expect(first).toEqual({
      firstSeenReportId: 'p:1',
      firstSeenAt: day,
      reportCount: 1,
      nearDuplicateClusterId: sha('a'),
      nearestSha256: null,
      nearestDistance: null,
    });
    expect(second).toEqual({ ...first, reportCount: 2 });
  });

  it('given a report delivered again, when observed, then it gets the same answer and is not counted twice', () => {
    const dedupe = new InMemoryDedupe(options);
    const once = dedupe.observe(file('a', 'p:1', 1, pdqWith(0)));
    dedupe.observe(file('a', 'p:2', 2, pdqWith(0)));
    expect(dedupe.observe(file('a', 'p:1', 1, pdqWith(0)))).toEqual(once);
    expect(dedupe.observe(file('a', 'p:3', 3, pdqWith(0))).reportCount).toBe(3);
  });

  it('given a near duplicate of a placed file, when observed, then it joins that cluster with it as the nearest', () => {
    const dedupe = new InMemoryDedupe(options);
    dedupe.observe(file('a', 'p:1', 1, pdqWith(0)));
    expect(dedupe.observe(file('b', 'p:2', 2, pdqWith(12)))).toMatchObject({
      reportCount: 1,
      firstSeenReportId: 'p:2',
      nearDuplicateClusterId: sha('a'),
      nearestSha256: sha('a'),
      nearestDistance: 12,
    });
  });

  it('given two clusters and then a file near both, when observed, then it joins the older one and the clusters are not merged', () => {
    const dedupe = new InMemoryDedupe(options);
    dedupe.observe(file('a', 'p:1', 1, pdqWith(0)));
    dedupe.observe(file('c', 'p:2', 2, pdqWith(60)));
    const bridge = dedupe.observe(file('b', 'p:3', 3, pdqWith(30)));
    expect(bridge.nearDuplicateClusterId).toBe(sha('a'));
    // The younger cluster keeps its name, for its own files and for newcomers near only it.
    expect(dedupe.observe(file('c', 'p:4', 4, pdqWith(60))).nearDuplicateClusterId).toBe(sha('c'));
    expect(dedupe.observe(file('d', 'p:5', 5, pdqWith(64))).nearDuplicateClusterId).toBe(sha('c'));
  });

  it('given the same files in another order, when observed, then another file founds the cluster', () => {
    const dedupe = new InMemoryDedupe(options);
    dedupe.observe(file('b', 'p:1', 1, pdqWith(12)));
    expect(dedupe.observe(file('a', 'p:2', 2, pdqWith(0))).nearDuplicateClusterId).toBe(sha('b'));
  });

  it('given a weak PDQ or no hashes, when observed, then the file is counted but neither joins nor founds a cluster', () => {
    const dedupe = new InMemoryDedupe(options);
    expect(dedupe.observe(file('w', 'p:1', 1, pdqWith(0), 49)).nearDuplicateClusterId).toBeNull();
    expect(dedupe.observe(file('n', 'p:1', 1, pdqWith(2))).nearDuplicateClusterId).toBe(sha('n'));
    const missing = dedupe.observe({ ...file('m', 'p:2', 2, null), hashes: null });
    expect(missing).toMatchObject({ reportCount: 1, firstSeenReportId: 'p:2', nearDuplicateClusterId: null });
  });
});
