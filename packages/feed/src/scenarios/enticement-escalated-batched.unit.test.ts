import { describe, expect, it } from 'vitest';
import { FeedBuilder } from '../plan/feed-builder.ts';
import { DAY } from '../plan/timestamps.ts';
import type { PlanOptions } from '../types.ts';
import { ENTICEMENT } from '../vocabulary.ts';
import { enticementEscalatedBatched } from './enticement-escalated-batched.ts';

const options: PlanOptions = { seed: 4, reports: 50, maxFiles: 20, reportsPerBundle: 10, homeCountry: 'NL' };

function planned(seed: number, maxFiles = options.maxFiles) {
  const feed = new FeedBuilder({ ...options, seed, maxFiles });
  enticementEscalatedBatched.plan(feed, 10);
  expect(feed.reports).toHaveLength(1);
  return { feed, report: feed.reports[0]! };
}

describe('enticement-escalated-batched', () => {
  it('given many seeds, when planned, then an escalated enticement batched as viral, no victim, a suspect abroad, an incident over a year old', () => {
    for (let seed = 0; seed < 20; seed++) {
      const { feed, report } = planned(seed);
      expect(report).toMatchObject({
        incidentType: ENTICEMENT,
        batched: true,
        ncmecPriority: null,
        victims: [],
        intendedRecipients: [],
      });
      expect(report.escalateToHighPriority).toMatch(/\S/);
      expect(report.personsReported[0]!.estimatedLocation?.countryCode).not.toBe('NL');
      expect(feed.asOfMs - Date.parse(report.incidentDateTime)).toBeGreaterThanOrEqual(380 * DAY);
    }
  });

  it('given room, when planned, then 3-6 copies of known memes, every one annotated viral and potentialMeme', () => {
    for (let seed = 0; seed < 20; seed++) {
      const { feed, report } = planned(seed);
      expect(report.files.length).toBeGreaterThanOrEqual(3);
      expect(report.files.length).toBeLessThanOrEqual(6);
      for (const file of report.files) {
        expect(feed.media.get(file.mediaKey).origin).toBe('meme');
        expect(file.fileAnnotations).toEqual(['viral', 'potentialMeme']);
      }
    }
  });

  it('given a max of two files, when planned, then at most two memes', () => {
    for (let seed = 0; seed < 20; seed++) expect(planned(seed, 2).report.files.length).toBeLessThanOrEqual(2);
  });
});
