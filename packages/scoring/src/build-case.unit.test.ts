import { describe, expect, it } from 'vitest';
import { buildCase } from './build-case.ts';
import { scoreReport } from './score-report.ts';
import {
  defaultRules,
  evidence,
  file,
  ipEnrichment,
  knownFile,
  location,
  NOW,
  nearDuplicateFile,
  person,
  REPORT_ID,
  report,
  seenFile,
  textFile,
} from './testing/evidence-builder.ts';

describe('buildCase', () => {
  const ev = evidence({
    report: report({
      incidentType: 'CHILD_PORNOGRAPHY',
      itemCount: 6,
      personsReported: [
        person({ estimatedLocation: location('nl') }),
        person({ estimatedLocation: location('DE') }),
      ],
    }),
    items: [
      seenFile(1),
      file(0, { industryClassification: 'A2', fileViewedByEsp: false }),
      knownFile(2, 1),
      nearDuplicateFile(3),
      textFile(4),
      file(0),
    ],
    reportEnrichment: [
      ipEnrichment('report.personsReported[0].ipCaptureEvents[0]', '192.0.2.1', 'NL', {
        possibleProxy: true,
      }),
      ipEnrichment('report.personsReported[1].ipCaptureEvents[0]', '198.51.100.1', 'DE', {
        asOrganization: 'Example Cloud',
      }),
    ],
    links: [
      { reportId: 'tipline-nl:100000009', identifierType: 'ip' },
      { reportId: 'tipline-nl:100000009', identifierType: 'ip' },
      { reportId: REPORT_ID, identifierType: 'email' },
      { reportId: 'platform-social:500000001', identifierType: 'email' },
    ],
  });
  const scored = scoreReport(ev, defaultRules);
  const built = buildCase(ev, scored, { provisional: true, updatedAt: NOW + 1 });

  it('Given evidence and its score, When the case is built, Then score, tier, reasons and rule version are carried over', () => {
    expect(built).toMatchObject({
      reportId: REPORT_ID,
      version: 1,
      score: scored.score,
      tier: scored.tier,
      ruleVersion: defaultRules.ruleVersion,
      provisional: true,
      itemsExpected: 6,
      updatedAt: NOW + 1,
    });
    expect(built.reasons).toEqual(scored.reasons);
  });

  it('Given a report a floor holds at P1, When the case is built, Then the case has the floored tier, the score of the factors and the floor as its first reason', () => {
    const floored = evidence({
      report: report({
        incidentType: 'CHILD_SEX_TRAFFICKING',
        escalateToHighPriority: 'Child may be moved soon.',
        batched: true,
        itemCount: 1,
      }),
      items: [knownFile(0, 1)],
    });
    const value = buildCase(floored, scoreReport(floored, defaultRules), {
      provisional: false,
      updatedAt: NOW,
    });
    expect(value).toMatchObject({ tier: 'P1', score: 24 });
    expect(value.reasons[0]).toEqual({
      factor: 'floor:escalated_contact_offence',
      field: 'report.escalateToHighPriority, report.incidentType',
      value: 'text given (24 characters), CHILD_SEX_TRAFFICKING -> at least P1 (score alone: P3)',
      contribution: 0,
    });
  });

  it('Given a redelivered item, When the case is built, Then items are distinct, in item order, each with its novelty', () => {
    expect(built.itemsSeen).toBe(5);
    expect(built.items.map((item) => [item.itemId, item.novelty])).toEqual([
      [`${REPORT_ID}/f-0`, 'new'],
      [`${REPORT_ID}/f-1`, 'seen'],
      [`${REPORT_ID}/f-2`, 'known'],
      [`${REPORT_ID}/f-3`, 'near_duplicate'],
      [`${REPORT_ID}/f-4`, 'unknown'],
    ]);
    expect(built.items[2]).toMatchObject({ categories: [1], matchedLists: ['police-demo'] });
  });

  it('Given persons and enrichments, When the case is built, Then countries, proxy and jurisdiction are summarised', () => {
    expect(built.report.estimatedCountryCodes).toEqual(['DE', 'NL']);
    expect(built.enrichment).toEqual({
      countryCodes: ['DE', 'NL'],
      // The only home address is a possible proxy.
      inJurisdiction: false,
      possibleProxy: true,
      asOrganizations: ['Example Cloud', 'Example Hosting'],
      hosts: [],
    });
  });

  it('Given repeated and self links, When the case is built, Then linked reports are distinct and exclude the report itself', () => {
    expect(built.linkedReports).toEqual([
      { reportId: 'platform-social:500000001', identifierType: 'email' },
      { reportId: 'tipline-nl:100000009', identifierType: 'ip' },
    ]);
  });

  it('Given the file the company never viewed, When the case is built, Then the access gate is kept on its item', () => {
    const last = buildCase({ ...ev, items: [file(0, { fileViewedByEsp: false })] }, scored, {
      provisional: false,
      updatedAt: NOW,
    });
    expect(last.items[0]?.fileViewedByEsp).toBe(false);
  });
});
