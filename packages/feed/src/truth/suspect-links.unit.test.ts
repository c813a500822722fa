import { describe, expect, it } from 'vitest';
import { planFeed } from '../plan-feed.ts';
import type { FeedPlan, PlannedPerson, PlannedReport } from '../types.ts';
import { indexSuspects } from './suspect-links.ts';

const base = planFeed({ seed: 9, reports: 20, maxFiles: 5, reportsPerBundle: 10, homeCountry: 'NL' });
const template = base.reports.find(
  (report) => report.partnerId === 'tipline-nl' && report.personsReported.length > 0,
)!;

function person(overrides: Partial<PlannedPerson>): PlannedPerson {
  return {
    screenName: 'nobody',
    emails: [],
    phones: [],
    espIdentifier: 'u0',
    espService: 'Main account',
    ipCaptureEvents: [],
    deviceIds: [],
    priorCTReports: [],
    estimatedLocation: null,
    ...overrides,
  };
}

/** A plan of tipline reports 1xx0001.. with the given persons, one report each. */
function planOf(...persons: PlannedPerson[]): FeedPlan {
  const reports = persons.map(
    (each, index): PlannedReport => ({
      ...template,
      partnerReportId: String(100_000_001 + index),
      personsReported: [each],
    }),
  );
  return { ...base, reports };
}

describe('indexSuspects', () => {
  it('given two reports whose e-mails differ only in case, when indexed, then one e-mail link and both are repeat suspects', () => {
    const plan = planOf(
      person({ screenName: 'a', espIdentifier: 'u1', emails: ['Same.Name@example.com'] }),
      person({ screenName: 'b', espIdentifier: 'u2', emails: ['same.name@example.com'] }),
      person({ screenName: 'c', espIdentifier: 'u3' }),
    );
    const suspects = indexSuspects(plan);
    expect(suspects.links()).toEqual([
      {
        kind: 'email',
        value: 'same.name@example.com',
        reportIds: ['tipline-nl:100000001', 'tipline-nl:100000002'],
      },
    ]);
    expect(plan.reports.map((report, index) => suspects.isRepeatSuspect(report, index))).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('given priorCTReports, when indexed, then one naming a feed report links the two (in report order) and one outside the feed links nothing but still marks a repeat suspect', () => {
    const plan = planOf(
      person({ screenName: 'a', espIdentifier: 'u1' }),
      person({ screenName: 'b', espIdentifier: 'u2', priorCTReports: ['100000001'] }),
      person({ screenName: 'c', espIdentifier: 'u3', priorCTReports: ['90000000'] }),
    );
    const suspects = indexSuspects(plan);
    expect(suspects.links()).toEqual([
      {
        kind: 'priorCTReport',
        value: '100000001',
        reportIds: ['tipline-nl:100000001', 'tipline-nl:100000002'],
      },
    ]);
    expect(plan.reports.map((report, index) => suspects.isRepeatSuspect(report, index))).toEqual([
      false,
      true,
      true,
    ]);
  });
});
