import { describe, expect, it } from 'vitest';
import { FeedBuilder } from '../plan/feed-builder.ts';
import { createRandom } from '../random.ts';
import type { PlanOptions } from '../types.ts';
import { viralBatched, viralFileCount } from './viral-batched.ts';

const options: PlanOptions = {
  seed: 3,
  reports: 50,
  maxFiles: 3000,
  reportsPerBundle: 10,
  homeCountry: 'NL',
};

describe('viralFileCount', () => {
  it('given many draws, when counted, then most reports hold 3-30 files, some up to 300 and a few thousands', () => {
    const random = createRandom(17);
    const counts = Array.from({ length: 2000 }, () => viralFileCount(random));
    const share = (low: number, high: number) =>
      counts.filter((count) => count >= low && count <= high).length / counts.length;
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3000);
    expect(share(3, 30)).toBeCloseTo(0.6, 1);
    expect(share(31, 300)).toBeCloseTo(0.3, 1);
    expect(share(301, 3000)).toBeCloseTo(0.1, 1);
  });
});

describe('viral-batched', () => {
  it('given a max of 5 files, when planned, then one batched report of at most 5 meme files, each annotated potentialMeme', () => {
    for (let seed = 0; seed < 10; seed++) {
      const feed = new FeedBuilder({ ...options, seed, maxFiles: 5 });
      viralBatched.plan(feed, 10);
      expect(feed.reports).toHaveLength(1);
      const report = feed.reports[0]!;
      expect(report.batched).toBe(true);
      expect(report.files.length).toBeLessThanOrEqual(5);
      for (const file of report.files) {
        expect(file.fileAnnotations).toContain('potentialMeme');
        const media = feed.media.get(file.mediaKey);
        expect(
          media.origin === 'meme' || feed.media.memeFamilies.some((family) => family.id === media.family),
        ).toBe(true);
      }
    }
  });

  it('given a large report, when planned, then a few near-duplicates (at most 12, each once) join the exact meme copies', () => {
    let largest = 0;
    for (let seed = 0; seed < 30 && largest < 100; seed++) {
      const feed = new FeedBuilder({ ...options, seed });
      viralBatched.plan(feed, 10);
      const files = feed.reports[0]!.files;
      if (files.length < 100) continue;
      largest = files.length;
      const variants = files.filter((file) => feed.media.get(file.mediaKey).family !== null);
      expect(variants.length).toBeGreaterThan(0);
      expect(variants.length).toBeLessThanOrEqual(12);
      expect(new Set(variants.map((file) => file.mediaKey)).size).toBe(variants.length);
    }
    expect(largest).toBeGreaterThanOrEqual(100);
  });
});
