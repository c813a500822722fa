import { describe, expect, it } from 'vitest';
import { FeedBuilder } from '../plan/feed-builder.ts';
import type { PlanOptions } from '../types.ts';
import { dealMembers, nearDuplicateCluster } from './near-duplicate-cluster.ts';

const options: PlanOptions = { seed: 2, reports: 50, maxFiles: 20, reportsPerBundle: 10, homeCountry: 'NL' };
const members = ['original', 'resize', 'reencode', 'crop', 'rotate', 'flip'];

describe('dealMembers', () => {
  it('given six members over three reports, when dealt, then each report holds one of the first three and the rest go where drawn', () => {
    const picks = [2, 0, 2];
    expect(dealMembers(members, 3, 20, () => picks.shift()!)).toEqual([
      ['original', 'rotate'],
      ['resize'],
      ['reencode', 'crop', 'flip'],
    ]);
  });

  it('given a max of one file, when dealt, then each report holds only its own first member', () => {
    expect(dealMembers(members, 2, 1, () => 0)).toEqual([['original'], ['resize']]);
  });
});

describe('near-duplicate-cluster', () => {
  it('given one report left, when planned, then it writes a single hotline-new-url report instead', () => {
    const feed = new FeedBuilder(options);
    nearDuplicateCluster.plan(feed, 1);
    expect(feed.reports.map((report) => report.scenario)).toEqual(['hotline-new-url']);
  });

  it('given room, when planned, then 2 or 3 reports share every member of one new family between them', () => {
    for (let seed = 0; seed < 10; seed++) {
      const feed = new FeedBuilder({ ...options, seed });
      nearDuplicateCluster.plan(feed, 10);
      expect(feed.reports.length).toBeGreaterThanOrEqual(2);
      expect(feed.reports.length).toBeLessThanOrEqual(3);
      const keys = feed.reports.flatMap((report) => report.files.map((file) => file.mediaKey));
      const families = new Set(keys.map((key) => feed.media.get(key).family));
      expect(families.size).toBe(1);
      expect(keys).toHaveLength(6);
      expect(new Set(keys).size).toBe(6);
      for (const report of feed.reports) expect(report.files.length).toBeGreaterThanOrEqual(1);
    }
  });
});
