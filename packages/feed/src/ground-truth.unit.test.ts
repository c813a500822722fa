import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildGroundTruth, type MediaDigest } from './ground-truth.ts';
import { planFeed } from './plan-feed.ts';
import { knownHashesCsv } from './truth/known-hashes-csv.ts';
import type { FeedPlan, PlannedReport, PlanOptions } from './types.ts';

const options: PlanOptions = { seed: 5, reports: 80, maxFiles: 40, reportsPerBundle: 10, homeCountry: 'NL' };

/** Stand-in digests: one distinct value per media key, as distinct bytes would give. */
function fakeDigests(plan: FeedPlan): Map<string, MediaDigest> {
  const hex = (algorithm: string, key: string) => createHash(algorithm).update(key).digest('hex');
  return new Map(
    [...plan.media.keys()].map((key) => [
      key,
      {
        sha256: hex('sha256', key),
        md5: hex('md5', key),
        sha1: hex('sha1', key),
        size: 100,
        mediaType: 'image/png',
      },
    ]),
  );
}

function fakePdq(plan: FeedPlan): Map<string, string> {
  return new Map(
    plan.families.map((family) => [family.id, createHash('sha256').update(`pdq ${family.id}`).digest('hex')]),
  );
}

function truthOf(plan: FeedPlan, format: 'json' | 'xml' = 'json') {
  return buildGroundTruth({ plan, format, digests: fakeDigests(plan), familyPdq: fakePdq(plan) });
}

describe('buildGroundTruth', () => {
  it('given many seeds, when the facts of every report are assessed, then each gets the tier its scenario intended', () => {
    for (let seed = 0; seed < 40; seed++) {
      for (const format of ['json', 'xml'] as const) {
        const plan = planFeed({ ...options, seed, format });
        const truth = truthOf(plan, format);
        expect(truth.reports.map((report) => report.tier)).toEqual(
          plan.reports.map((report) => report.intendedTier),
        );
      }
    }
  });

  it('given another home country, when assessed, then the intended tiers still hold and home means that country', () => {
    for (const homeCountry of ['DE', 'US', 'GB', 'FR'] as const) {
      for (let seed = 0; seed < 5; seed++) {
        const plan = planFeed({ ...options, seed, homeCountry });
        const truth = truthOf(plan);
        expect(truth.homeCountry).toBe(homeCountry);
        // The escalated scenarios at home (the others reach P1 by a floor, from abroad).
        const home = new Set(['enticement-escalated', 'sextortion-escalated']);
        const p1 = plan.reports.filter((report) => home.has(report.scenario));
        expect(p1.every((report) => report.intendedTier === 'P1')).toBe(true);
        for (const report of p1) {
          const located = report.personsReported.map(
            (person) => person.estimatedLocation?.countryCode ?? homeCountry,
          );
          expect(located).toEqual(located.map(() => homeCountry));
        }
      }
    }
  });

  it('given a home distributor of known content moved abroad, when assessed, then the tier check fails', () => {
    const plan = planFeed(options);
    const index = plan.reports.findIndex((report) => report.scenario === 'known-distribution-home');
    const reports = plan.reports.map((report, at): PlannedReport => {
      if (at !== index) return report;
      return {
        ...report,
        personsReported: report.personsReported.map((person) => ({
          ...person,
          ipCaptureEvents: [],
          estimatedLocation: { countryCode: 'FR', city: 'Lyon' },
        })),
        files: report.files.map((file) => ({ ...file, uploadIpEvent: null })),
      };
    });
    expect(() => truthOf(plan)).not.toThrow();
    expect(() => truthOf({ ...plan, reports })).toThrow(/should be P3 but its facts give P4/);
  });

  it('given an informational referral, when written as JSON or XML, then the reason follows what the format can say', () => {
    // A plan both formats can write: an informational referral, nothing JSON-only.
    const writable = (candidate: FeedPlan) =>
      candidate.reports.some((report) => report.scenario === 'informational-referral') &&
      !candidate.reports.some((report) => report.scenario === 'ncmec-priority-1-informational');
    let plan = planFeed({ ...options, reports: 20 });
    for (let seed = 6; !writable(plan); seed++) plan = planFeed({ ...options, reports: 20, seed });
    const index = plan.reports.findIndex((report) => report.scenario === 'informational-referral');
    expect(truthOf(plan, 'json').reports[index]!.reasons).toEqual(['informational']);
    expect(truthOf(plan, 'xml').reports[index]!.reasons).toEqual([
      'known_content',
      'no_home_link',
      'no_victim',
    ]);
  });

  it('given an NCMEC priority 1 referral, when written as JSON, then P1 by its floor; as XML (no priority there) its facts give P4, so an XML feed never draws it', () => {
    const scenario = 'ncmec-priority-1-informational';
    const json = planFeed(options);
    const index = json.reports.findIndex((report) => report.scenario === scenario);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(truthOf(json, 'json').reports[index]).toMatchObject({
      tier: 'P1',
      reasons: ['floor_ncmec_priority_1'],
      facts: { ncmecPriority1: true, informational: true, allKnown: true, homeJurisdiction: false },
    });
    expect(() => truthOf(json, 'xml')).toThrow(
      new RegExp(`\\(${scenario}\\) should be P1 but its facts give P4`),
    );
    for (let seed = 0; seed < 20; seed++) {
      const xml = planFeed({ ...options, seed, format: 'xml' });
      expect(xml.reports.filter((report) => report.scenario === scenario)).toEqual([]);
    }
    // ZIP bundles carry bundle.json, so a ZIP feed plans what a JSON feed does.
    expect(planFeed({ ...options, format: 'zip' })).toEqual(json);
  });

  it('given a feed, when booked, then exact-duplicate groups hold every item of a repeated sha256 and nothing else', () => {
    const plan = planFeed(options);
    const truth = truthOf(plan);
    const itemsBySha = new Map<string, string[]>();
    for (const item of truth.items)
      itemsBySha.set(item.sha256, [...(itemsBySha.get(item.sha256) ?? []), item.itemId]);
    const expected = [...itemsBySha].filter(([, ids]) => ids.length > 1);
    expect(truth.exactDuplicateGroups.length).toBe(expected.length);
    expect(truth.exactDuplicateGroups.length).toBeGreaterThan(0);
    for (const group of truth.exactDuplicateGroups)
      expect(group.itemIds).toEqual(itemsBySha.get(group.sha256));
  });

  it('given a feed, when booked, then near-duplicate groups list family members with their edits, spanning several edits', () => {
    const plan = planFeed(options);
    const truth = truthOf(plan);
    expect(truth.nearDuplicateGroups.length).toBeGreaterThan(0);
    const items = new Map(truth.items.map((item) => [item.itemId, item]));
    for (const group of truth.nearDuplicateGroups) {
      expect(new Set(group.members.map((member) => member.edit)).size).toBeGreaterThan(1);
      for (const member of group.members) {
        expect(items.get(member.itemId)).toMatchObject({ family: group.family, edit: member.edit });
      }
    }
  });

  it('given a feed, when booked, then known matches are the items whose MD5 or family PDQ the known-hash CSV lists', () => {
    const plan = planFeed(options);
    const digests = fakeDigests(plan);
    const familyPdq = fakePdq(plan);
    const truth = buildGroundTruth({ plan, format: 'json', digests, familyPdq });
    const csv = knownHashesCsv(plan, digests, familyPdq);
    const listed = new Set(
      csv
        .split('\n')
        .filter((line) => /^[0-9a-f]+,/.test(line))
        .map((line) => line.split(',').slice(0, 2).join(',')),
    );
    expect(truth.knownMatches.some((match) => match.match === 'md5')).toBe(true);
    expect(truth.knownMatches.some((match) => match.match === 'pdq')).toBe(true);
    for (const match of truth.knownMatches) {
      expect(listed.has(`${match.listHash},${match.match.toUpperCase()}`)).toBe(true);
    }
    const matched = new Set(truth.knownMatches.map((match) => match.itemId));
    for (const item of truth.items) {
      expect(matched.has(item.itemId)).toBe(listed.has(`${item.md5},MD5`) || item.known === 'pdq');
    }
  });

  it('given a repeat-suspect chain, when booked, then its reports are linked by shared identifiers and priorCTReports', () => {
    let plan = planFeed(options);
    for (let seed = 6; !plan.reports.some((report) => report.scenario === 'repeat-suspect-chain'); seed++) {
      plan = planFeed({ ...options, seed });
    }
    const truth = truthOf(plan);
    const chain = plan.reports.filter((report) => report.scenario === 'repeat-suspect-chain');
    const first = chain[0]!;
    const linked = truth.repeatSuspectLinks.filter(
      (link) => link.kind === 'screenName' && link.value === first.personsReported[0]!.screenName,
    );
    expect(linked).toHaveLength(1);
    expect(linked[0]!.reportIds.length).toBeGreaterThanOrEqual(2);
    expect(linked[0]!.reportIds).toContain(`${first.partnerId}:${first.partnerReportId}`);
    for (const report of truth.reports.filter((report) => report.scenario === 'repeat-suspect-chain')) {
      expect(report.facts.repeatSuspect).toBe(true);
    }
    for (const link of truth.repeatSuspectLinks.filter((link) => link.kind === 'priorCTReport')) {
      expect(link.reportIds).toContain(`tipline-nl:${link.value}`);
    }
  });

  it('given a feed, when booked, then the counts add up', () => {
    const truth = truthOf(planFeed(options));
    expect(truth.counts.reports).toBe(80);
    expect(truth.counts.files).toBe(truth.items.length);
    const byTier = truth.counts.byTier as Record<string, number>;
    expect(Object.values(byTier).reduce((sum, count) => sum + count, 0)).toBe(80);
    expect(truth.packages.flatMap((entry) => entry.reportIds)).toHaveLength(80);
  });
});
