import type { EnrichedItem, Media } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { type MediaChanges, mergeMediaDocument } from './media-document.ts';

const sha256 = 'a'.repeat(64);

function item(reportId: string, reportCount: number, firstSeenAt: number): EnrichedItem {
  return {
    item: { reportId, itemId: `${reportId}/file-0`, sha256 } as EnrichedItem['item'],
    hashes: {
      md5: 'b'.repeat(32),
      sha1: 'c'.repeat(40),
      sha256,
      pdq: null,
      pdqQuality: null,
    } as EnrichedItem['hashes'],
    matches: [],
    dedupe: {
      firstSeenReportId: 'tipline-test:first',
      firstSeenAt,
      reportCount,
      nearDuplicateClusterId: null,
      nearestSha256: null,
      nearestDistance: null,
    },
    enrichment: [],
  };
}

const media: Media = {
  sha256,
  pdq: 'f'.repeat(64),
  pdqQuality: 90,
  firstSeenReportId: 'tipline-test:first',
  firstSeenItemId: 'tipline-test:first/file-0',
  firstSeenAt: 100,
  clusterId: 'cluster-1',
  nearestSha256: null,
  nearestDistance: null,
};

const steps: MediaChanges[] = [
  { sha256, media: null, items: [item('tipline-test:r2', 2, 100)] },
  { sha256, media, items: [] },
  { sha256, media: null, items: [item('tipline-test:r1', 1, 100), item('tipline-test:r3', 3, 100)] },
];

describe('mergeMediaDocument', () => {
  it('gives the same document whatever order the changes come in, and applied twice', () => {
    const forward = steps.reduce(mergeMediaDocument, null as never);
    const backward = [...steps].reverse().reduce(mergeMediaDocument, null as never);
    const twice = [...steps, ...steps].reduce(mergeMediaDocument, null as never);
    expect(backward).toEqual(forward);
    expect(twice).toEqual(forward);
    expect(forward).toEqual({
      sha256,
      md5: 'b'.repeat(32),
      sha1: 'c'.repeat(40),
      pdq: 'f'.repeat(64),
      pdqSegments: Array.from({ length: 16 }, (_, position) => `${position}:ffff`),
      pdqQuality: 90,
      clusterId: 'cluster-1',
      nearestSha256: null,
      nearestDistance: null,
      firstSeenReportId: 'tipline-test:first',
      firstSeenItemId: 'tipline-test:first/file-0',
      firstSeenAt: 100,
      sightings: 3,
      reportIds: ['tipline-test:r1', 'tipline-test:r2', 'tipline-test:r3'],
      reportIdsTruncated: false,
    });
  });

  it('counts sightings past the listed reports when the dedupe stage saw more', () => {
    const merged = mergeMediaDocument(null, {
      sha256,
      media: null,
      items: [item('tipline-test:r9', 40, 100)],
    });
    expect(merged.sightings).toBe(40);
    expect(merged.reportIds).toEqual(['tipline-test:r9']);
  });

  it('gives no PDQ segments without a PDQ, or for a malformed one (still indexed, found by exact hashes)', () => {
    expect(
      mergeMediaDocument(null, { sha256, media: null, items: [item('tipline-test:r1', 1, 100)] }).pdqSegments,
    ).toEqual([]);
    const malformed = mergeMediaDocument(null, { sha256, media: { ...media, pdq: 'xyz' }, items: [] });
    expect(malformed).toMatchObject({ pdq: 'xyz', pdqSegments: [], clusterId: 'cluster-1' });
  });
});
