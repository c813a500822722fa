import { describe, expect, it } from 'vitest';
import { FeedBuilder } from '../plan/feed-builder.ts';
import type { PlanOptions } from '../types.ts';
import { repeatSuspectChain } from './repeat-suspect-chain.ts';

const options: PlanOptions = { seed: 1, reports: 50, maxFiles: 20, reportsPerBundle: 10, homeCountry: 'NL' };

function chain(seed: number, remaining: number, maxFiles = options.maxFiles) {
  const feed = new FeedBuilder({ ...options, seed, maxFiles });
  repeatSuspectChain.plan(feed, remaining);
  return feed.reports;
}

describe('repeat-suspect-chain', () => {
  it('given one report left, when planned, then it writes a single new-content-abroad report instead', () => {
    for (let seed = 0; seed < 5; seed++) {
      expect(chain(seed, 1).map((report) => report.scenario)).toEqual(['new-content-abroad']);
    }
  });

  it('given room, when planned, then 2 to 4 reports name the same screen name and user id', () => {
    for (let seed = 0; seed < 10; seed++) {
      const reports = chain(seed, 10);
      expect(reports.length).toBeGreaterThanOrEqual(2);
      expect(reports.length).toBeLessThanOrEqual(4);
      const people = reports.map((report) => report.personsReported[0]!);
      expect(new Set(people.map((person) => person.screenName)).size).toBe(1);
      expect(new Set(people.map((person) => person.espIdentifier)).size).toBe(1);
    }
  });

  it('given a chain, when planned, then each report cites exactly the earlier tipline reports of the chain', () => {
    for (let seed = 0; seed < 10; seed++) {
      const reports = chain(seed, 10);
      reports.forEach((report, index) => {
        const earlier = reports
          .slice(0, index)
          .filter((other) => other.partnerId === 'tipline-nl')
          .map((other) => other.partnerReportId);
        expect(report.personsReported[0]!.priorCTReports).toEqual(earlier);
      });
    }
  });

  it('given a chain, when planned, then each later report re-shares the first image of the one before, unless maxFiles leaves no room', () => {
    for (let seed = 0; seed < 10; seed++) {
      const reports = chain(seed, 10);
      for (let index = 1; index < reports.length; index++) {
        const keys = reports[index]!.files.map((file) => file.mediaKey);
        expect(keys.at(-1)).toBe(reports[index - 1]!.files[0]!.mediaKey);
      }
      const tight = chain(seed, 10, 2);
      for (const report of tight)
        expect(report.files.every((file) => file.mediaKey.startsWith('fresh-'))).toBe(true);
    }
  });
});
