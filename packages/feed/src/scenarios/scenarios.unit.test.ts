import { describe, expect, it } from 'vitest';
import { FeedBuilder } from '../plan/feed-builder.ts';
import type { PlanOptions } from '../types.ts';
import { scenarios } from './index.ts';

const options: PlanOptions = { seed: 8, reports: 50, maxFiles: 20, reportsPerBundle: 10, homeCountry: 'NL' };

describe('the scenario table', () => {
  it('given the table, when read, then names are unique kebab-case and weights positive integers', () => {
    const names = scenarios.map((scenario) => scenario.name);
    expect(new Set(names).size).toBe(names.length);
    for (const scenario of scenarios) {
      expect(scenario.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(Number.isInteger(scenario.weight) && scenario.weight > 0).toBe(true);
    }
  });

  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
    'given room for several reports, when %s plans episodes, then its reports carry its name and each of its tiers',
    (_, scenario) => {
      const tiers = new Set<string>();
      for (let seed = 0; seed < 20; seed++) {
        const feed = new FeedBuilder({ ...options, seed });
        scenario.plan(feed, 10);
        expect(feed.reports.length).toBeGreaterThanOrEqual(1);
        expect(feed.reports.length).toBeLessThanOrEqual(10);
        for (const report of feed.reports) {
          expect(report.scenario).toBe(scenario.name);
          expect(scenario.tiers).toContain(report.intendedTier);
          tiers.add(report.intendedTier);
        }
      }
      expect([...tiers].sort()).toEqual([...scenario.tiers].sort());
    },
  );
});
