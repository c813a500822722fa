import { describe, expect, it } from 'vitest';
import { FeedBuilder } from '../plan/feed-builder.ts';
import type { PlanOptions } from '../types.ts';
import { enticementEscalated } from './enticement-escalated.ts';

const options: PlanOptions = { seed: 4, reports: 50, maxFiles: 20, reportsPerBundle: 10, homeCountry: 'NL' };

function textFiles(seed: number, maxFiles: number): number {
  const feed = new FeedBuilder({ ...options, seed, maxFiles });
  enticementEscalated.plan(feed, 10);
  return feed.reports[0]!.files.filter((file) => feed.media.get(file.mediaKey).origin === 'text').length;
}

describe('enticement-escalated', () => {
  it('given room, when planned over many seeds, then some reports add a chat excerpt beside their images', () => {
    const seeds = Array.from({ length: 40 }, (_, seed) => seed);
    expect(seeds.some((seed) => textFiles(seed, 20) === 1)).toBe(true);
  });

  it('given a max of one file, when planned, then the image fills it and no chat excerpt is added', () => {
    for (let seed = 0; seed < 40; seed++) expect(textFiles(seed, 1)).toBe(0);
  });
});
