import { describe, expect, it } from 'vitest';
import { hostingRanges, IpAllocator } from './ip-ranges.ts';
import { drawScenario, planFeed } from './plan-feed.ts';
import { createRandom, type Random } from './random.ts';
import { scenarios } from './scenarios/index.ts';
import type { PlanOptions } from './types.ts';

const options: PlanOptions = {
  seed: 42,
  reports: 120,
  maxFiles: 50,
  reportsPerBundle: 10,
  homeCountry: 'NL',
};

function inCidr(address: string, cidr: string): boolean {
  const toNumber = (ip: string) => ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const value = toNumber(address);
  return value >= toNumber(base) && value < toNumber(base) + size;
}

describe('planFeed', () => {
  it('given the same options twice, when planned, then the plans are equal; another seed plans another feed', () => {
    expect(planFeed(options)).toEqual(planFeed(options));
    expect(planFeed({ ...options, seed: 43 }).reports).not.toEqual(planFeed(options).reports);
  });

  it('given a report count, when planned, then exactly that many reports, each with 1..maxFiles files', () => {
    for (const seed of [1, 2, 3]) {
      const plan = planFeed({ ...options, seed, reports: 37, maxFiles: 4 });
      expect(plan.reports).toHaveLength(37);
      for (const report of plan.reports) {
        expect(report.files.length).toBeGreaterThanOrEqual(1);
        expect(report.files.length).toBeLessThanOrEqual(4);
      }
    }
  });

  it('given a large max, when planned, then batched viral reports reach hundreds of files while most reports stay small', () => {
    const plan = planFeed({ ...options, reports: 300, maxFiles: 3000 });
    const sizes = plan.reports.map((report) => report.files.length).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThanOrEqual(6);
    const largest = plan.reports.reduce((best, report) =>
      report.files.length > best.files.length ? report : best,
    );
    expect(largest.files.length).toBeGreaterThan(300);
    expect(largest.scenario).toBe('viral-batched');
  });

  it('given a feed, when planned, then partner report ids are numeric and unique, and every report sits in one single-partner bundle', () => {
    const plan = planFeed(options);
    const ids = plan.reports.map((report) => `${report.partnerId}:${report.partnerReportId}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const report of plan.reports) expect(report.partnerReportId).toMatch(/^[1-9][0-9]{8}$/);
    const placed = plan.bundles.flatMap((bundle) => bundle.reports);
    expect([...placed].sort((a, b) => a - b)).toEqual(plan.reports.map((_, index) => index));
    for (const bundle of plan.bundles) {
      expect(bundle.reports.length).toBeLessThanOrEqual(10);
      for (const index of bundle.reports) expect(plan.reports[index]!.partnerId).toBe(bundle.partnerId);
      expect(bundle.bundleRef.startsWith(`${bundle.partnerId}-`)).toBe(true);
    }
    expect(new Set(plan.bundles.map((bundle) => bundle.bundleRef)).size).toBe(plan.bundles.length);
  });

  it('given a few seeds, when planned, then every scenario occurs with its tiers and the three partners all send', () => {
    const plans = [1, 2, 3, 4].map((seed) => planFeed({ ...options, seed, reports: 100 }));
    const tiers = new Map<string, Set<string>>();
    for (const report of plans.flatMap((plan) => plan.reports)) {
      tiers.set(report.scenario, (tiers.get(report.scenario) ?? new Set()).add(report.intendedTier));
    }
    expect(
      Object.fromEntries([...tiers].sort().map(([name, set]) => [name, [...set].sort().join('/')])),
    ).toEqual({
      'enticement-escalated': 'P1',
      'enticement-escalated-batched': 'P1',
      'hotline-known-url': 'P4',
      'hotline-new-url': 'P3',
      'informational-referral': 'P4',
      'known-distribution-home': 'P3',
      'ncmec-priority-1-informational': 'P1',
      'near-duplicate-cluster': 'P3',
      'new-content-abroad': 'P3',
      'new-production-home': 'P2',
      'repeat-suspect-chain': 'P2',
      'sextortion-escalated': 'P1',
      'victim-escalated-csam-batched': 'P1',
      // Escalated: P1 by the escalated_contact_offence floor; otherwise P2.
      'victim-risk-abroad': 'P1/P2',
      'viral-batched': 'P4',
    });
    expect(new Set(plans[0]!.reports.map((report) => report.partnerId))).toEqual(
      new Set(['tipline-nl', 'hotline-nl', 'platform-social']),
    );
  });

  it('given a feed, when planned, then every address is allocated once, inside the hosting range it names', () => {
    const plan = planFeed(options);
    const addresses = plan.ipAddresses.map((ip) => ip.ipAddress);
    expect(new Set(addresses).size).toBe(addresses.length);
    for (const ip of plan.ipAddresses) {
      expect(inCidr(ip.ipAddress, ip.cidr)).toBe(true);
      expect(hostingRanges[ip.country].some((range) => range.cidr === ip.cidr)).toBe(true);
    }
  });

  it('given a feed, when planned, then every e-mail is on example.com or example.org', () => {
    const plan = planFeed(options);
    const emails = plan.reports.flatMap((report) => [
      report.reporter.contactEmail,
      ...report.personsReported.flatMap((person) => person.emails),
    ]);
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) expect(email).toMatch(/@([a-z]+\.)*example\.(com|org)$/);
  });
});

describe('IpAllocator', () => {
  it('given thousands of draws in one country, when allocated, then no address repeats', () => {
    const allocator = new IpAllocator(7);
    const addresses = Array.from({ length: 5000 }, () => allocator.next('GB').ipAddress);
    expect(new Set(addresses).size).toBe(5000);
  });
});

describe('drawScenario', () => {
  const table = [
    { ...scenarios[0]!, name: 'light', weight: 1 },
    { ...scenarios[0]!, name: 'heavy', weight: 3 },
  ];
  const drawing = (value: number): Random => ({ ...createRandom(0), next: () => value });

  it('given weights 1 and 3, when the stream draws below a quarter, then the first row; above, the second', () => {
    expect(drawScenario(table, drawing(0)).name).toBe('light');
    expect(drawScenario(table, drawing(0.24)).name).toBe('light');
    expect(drawScenario(table, drawing(0.25)).name).toBe('heavy');
    expect(drawScenario(table, drawing(0.999)).name).toBe('heavy');
  });
});
