import { describe, expect, it } from 'vitest';
import { planFeed } from '../plan-feed.ts';
import type { FeedPlan, IpEvent, PlannedReport } from '../types.ts';
import { indexContent } from './content-index.ts';
import { type FactsContext, reportFacts } from './report-facts.ts';
import { indexSuspects } from './suspect-links.ts';

const base = planFeed({ seed: 12, reports: 20, maxFiles: 5, reportsPerBundle: 10, homeCountry: 'NL' });
const home = base.ipAddresses.find((ip) => ip.country === 'NL')!;
const abroad = base.ipAddresses.find((ip) => ip.country !== 'NL')!;
const template = base.reports.find((report) => report.personsReported.length > 0)!;

function event(ipAddress: string, possibleProxy: boolean): IpEvent {
  return { ipAddress, eventName: 'Login', dateTime: '2026-11-01T00:00:00Z', possibleProxy, port: 4000 };
}

/** The facts of `template` changed by `change`, read as `format`. */
function factsOf(change: (report: PlannedReport) => PlannedReport, format: 'json' | 'xml' = 'json') {
  const report = change(template);
  const plan: FeedPlan = { ...base, reports: [report] };
  const digests = new Map(
    [...plan.media.keys()].map((key) => [
      key,
      { sha256: `sha-${key}`, md5: `md5-${key}`, sha1: `sha1-${key}`, size: 1, mediaType: 'image/png' },
    ]),
  );
  const familyPdq = new Map(plan.families.map((family) => [family.id, `pdq-${family.id}`]));
  const context: FactsContext = {
    plan,
    format,
    content: indexContent({ plan, digests, familyPdq }),
    suspects: indexSuspects(plan),
    ipCountry: new Map(plan.ipAddresses.map((ip) => [ip.ipAddress, ip.country])),
  };
  return reportFacts(context, report, 0);
}

const locatedAt = (ipAddresses: IpEvent[]) => (report: PlannedReport) => ({
  ...report,
  personsReported: report.personsReported.map((person) => ({
    ...person,
    estimatedLocation: null,
    ipCaptureEvents: ipAddresses,
  })),
  files: report.files.map((file) => ({ ...file, uploadIpEvent: null })),
});

describe('reportFacts: home jurisdiction', () => {
  it('given a suspect seen only at a home address flagged as a proxy, when assessed, then no home link', () => {
    expect(
      factsOf(locatedAt([event(home.ipAddress, true), event(abroad.ipAddress, false)])).homeJurisdiction,
    ).toBe(false);
  });

  it('given the same home address not flagged, when assessed, then a home link', () => {
    expect(factsOf(locatedAt([event(home.ipAddress, false)])).homeJurisdiction).toBe(true);
  });

  it('given no address but an estimated location in the home country, when assessed, then a home link', () => {
    const located = (report: PlannedReport) => ({
      ...locatedAt([])(report),
      personsReported: report.personsReported.map((person) => ({
        ...person,
        ipCaptureEvents: [],
        estimatedLocation: { countryCode: 'NL' as const, city: 'Utrecht' },
      })),
    });
    expect(factsOf(located).homeJurisdiction).toBe(true);
  });
});

describe('reportFacts: annotations', () => {
  const annotated = (report: PlannedReport) => ({
    ...report,
    reportAnnotations: ['informational', 'sextortion'],
  });

  it('given the informational annotation, when read as JSON, then informational; as XML (no such element), not', () => {
    expect(factsOf(annotated, 'json').informational).toBe(true);
    expect(factsOf(annotated, 'xml').informational).toBe(false);
    expect(factsOf(annotated, 'xml').sextortion).toBe(true);
  });

  it('given a file annotated liveStreaming, when assessed, then a production indicator; viral alone is none', () => {
    const flagged = (flag: string) => (report: PlannedReport) => ({
      ...report,
      files: report.files.map((file, index) => ({ ...file, fileAnnotations: index === 0 ? [flag] : [] })),
    });
    expect(factsOf(flagged('liveStreaming')).productionIndicator).toBe(true);
    expect(factsOf(flagged('viral')).productionIndicator).toBe(false);
  });
});
