import type { EnrichedItem } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import type { ReportEvidence } from './evidence.ts';
import { isFloorReason } from './floors.ts';
import { scoreReport } from './score-report.ts';
import {
  DAY,
  defaultRules,
  evidence,
  file,
  ipEnrichment,
  ipEvent,
  knownFile,
  location,
  NOW,
  nearDuplicateFile,
  party,
  person,
  report,
  seenFile,
  textFile,
  weightsWith,
} from './testing/evidence-builder.ts';

const victim = party();
const recent = { incidentDateTime: NOW - 2 * DAY };
const homeSuspect = (extra = {}) => person({ estimatedLocation: location('NL'), ...extra });
const abroadSuspect = (extra = {}) => person({ estimatedLocation: location('DE'), ...extra });
/** A suspect abroad whose only home address is flagged as a proxy. */
const abroadWithHomeProxy = () =>
  abroadSuspect({ ipCaptureEvents: [ipEvent('192.0.2.50', { possibleProxy: true, dateTime: NOW - DAY })] });
const proxyEnrichment = ipEnrichment('report.personsReported[0].ipCaptureEvents[0]', '192.0.2.50', 'NL');
const fresh = (count: number, extra: Partial<EnrichedItem['item']> = {}) =>
  Array.from({ length: count }, (_, index) => file(index, extra));

/** One hand-built report per synthetic-feed scenario (packages/feed README), made close to its tier's edge where the scenario varies. */
const scenarios: [string, 'P1' | 'P2' | 'P3' | 'P4', ReportEvidence][] = [
  [
    'enticement-escalated (no classification, old incident)',
    'P1',
    evidence({
      report: report({
        incidentType: 'ONLINE_ENTICEMENT',
        escalateToHighPriority: 'Meeting planned; child at ongoing risk.',
        victims: [victim],
        personsReported: [homeSuspect()],
        incidentDateTime: NOW - 400 * DAY,
      }),
      items: [file(0), textFile(1)],
    }),
  ],
  [
    'sextortion-escalated (CSAM incident type)',
    'P1',
    evidence({
      report: report({
        ...recent,
        incidentType: 'CHILD_PORNOGRAPHY',
        escalateToHighPriority: 'Threats to share images unless more are sent.',
        reportAnnotations: ['sextortion'],
        victims: [victim],
        personsReported: [homeSuspect()],
      }),
      items: fresh(2, { fileAnnotations: ['possibleSelfProduction'], industryClassification: 'B2' }),
    }),
  ],
  [
    'new-production-home (one weak indicator, B1)',
    'P2',
    evidence({
      report: report({ incidentType: 'CHILD_PORNOGRAPHY', personsReported: [homeSuspect()] }),
      items: [
        file(0, { fileAnnotations: ['possibleSelfProduction'], industryClassification: 'B1' }),
        file(1),
      ],
    }),
  ],
  [
    'new-production-home (two indicators, A1, prior report, recent)',
    'P2',
    evidence({
      report: report({
        ...recent,
        incidentType: 'CHILD_PORNOGRAPHY',
        personsReported: [homeSuspect({ priorCTReports: ['90000001'] })],
      }),
      items: [
        file(0, { fileAnnotations: ['infant', 'physicalHarm'], industryClassification: 'A1' }),
        file(1),
      ],
    }),
  ],
  [
    'victim-risk-abroad (escalated, home IP flagged as proxy, recent: P2 on its score, held at P1 by the escalated_contact_offence floor)',
    'P1',
    evidence({
      report: report({
        ...recent,
        incidentType: 'CHILD_SEX_TRAFFICKING',
        escalateToHighPriority: 'Child believed to be moved between cities.',
        victims: [victim],
        personsReported: [abroadWithHomeProxy()],
      }),
      items: fresh(2),
      reportEnrichment: [proxyEnrichment],
    }),
  ],
  [
    'victim-risk-abroad (not escalated, home IP flagged as proxy, recent)',
    'P2',
    evidence({
      report: report({
        ...recent,
        incidentType: 'ONLINE_ENTICEMENT',
        victims: [victim],
        personsReported: [abroadWithHomeProxy()],
      }),
      items: fresh(2),
      reportEnrichment: [proxyEnrichment],
    }),
  ],
  [
    'victim-risk-abroad (not escalated, old)',
    'P2',
    evidence({
      report: report({
        incidentType: 'CHILD_SEXUAL_MOLESTATION',
        victims: [victim],
        personsReported: [abroadSuspect()],
      }),
      items: fresh(1),
    }),
  ],
  [
    'repeat-suspect-chain, first report (linked to later ones only)',
    'P2',
    evidence({
      report: report({ incidentType: 'CHILD_PORNOGRAPHY', personsReported: [homeSuspect()] }),
      items: fresh(2),
      links: [{ reportId: 'platform-social:500000002', identifierType: 'email' }],
    }),
  ],
  [
    'repeat-suspect-chain, later report (enticement without victim, A2, prior report, links, re-shared image)',
    'P2',
    evidence({
      report: report({
        ...recent,
        incidentType: 'ONLINE_ENTICEMENT',
        personsReported: [homeSuspect({ priorCTReports: ['100000001'] })],
      }),
      items: [...fresh(2, { industryClassification: 'A2' }), seenFile(2)],
      links: [{ reportId: 'tipline-nl:100000001', identifierType: 'espIdentifier' }],
    }),
  ],
  [
    'known-distribution-home (no extras)',
    'P3',
    evidence({
      report: report({ incidentType: 'CHILD_PORNOGRAPHY', personsReported: [homeSuspect()] }),
      items: [knownFile(0), knownFile(1)],
    }),
  ],
  [
    'known-distribution-home (prior report, recent)',
    'P3',
    evidence({
      report: report({
        ...recent,
        incidentType: 'CHILD_PORNOGRAPHY',
        personsReported: [homeSuspect({ priorCTReports: ['90000001'] })],
      }),
      items: [knownFile(0)],
    }),
  ],
  [
    'new-content-abroad (plus known, A2, prior report, home proxy, recent)',
    'P3',
    evidence({
      report: report({
        ...recent,
        incidentType: 'CHILD_PORNOGRAPHY',
        personsReported: [{ ...abroadWithHomeProxy(), priorCTReports: ['90000001'] }],
      }),
      items: [file(0, { industryClassification: 'A2' }), knownFile(1)],
      reportEnrichment: [proxyEnrichment],
    }),
  ],
  [
    'new-content-abroad (plain, old)',
    'P3',
    evidence({
      report: report({ incidentType: 'CHILD_PORNOGRAPHY', personsReported: [abroadSuspect()] }),
      items: fresh(1),
    }),
  ],
  [
    'near-duplicate-cluster abroad (old)',
    'P3',
    evidence({
      report: report({ incidentType: 'CHILD_PORNOGRAPHY', personsReported: [abroadSuspect()] }),
      items: [nearDuplicateFile(0)],
    }),
  ],
  [
    'near-duplicate-cluster at home, first of its cluster (looks new, recent)',
    'P3',
    evidence({
      report: report({ ...recent, incidentType: 'CHILD_PORNOGRAPHY', personsReported: [homeSuspect()] }),
      items: fresh(2),
    }),
  ],
  [
    'hotline-new-url',
    'P3',
    evidence({ report: report({ ...recent, incidentType: 'CHILD_PORNOGRAPHY' }), items: fresh(3) }),
  ],
  [
    'hotline-known-url (recent)',
    'P4',
    evidence({
      report: report({ ...recent, incidentType: 'CHILD_PORNOGRAPHY' }),
      items: [knownFile(0), knownFile(1)],
    }),
  ],
  [
    'viral-batched at home (recent)',
    'P4',
    evidence({
      report: report({
        ...recent,
        incidentType: 'CHILD_PORNOGRAPHY',
        batched: true,
        batchedReason: 'VIRAL_POTENTIAL_MEME',
        personsReported: [homeSuspect()],
      }),
      items: [
        {
          ...knownFile(0, 2),
          item: file(0, { fileAnnotations: ['viral', 'potentialMeme'], industryClassification: 'B2' }).item,
        },
        { ...knownFile(1, 2), item: file(1, { fileAnnotations: ['potentialMeme'] }).item },
      ],
    }),
  ],
  [
    'informational-referral',
    'P4',
    evidence({
      report: report({
        ...recent,
        incidentType: 'CHILD_PORNOGRAPHY',
        reportAnnotations: ['informational'],
        personsReported: [abroadSuspect()],
      }),
      items: [knownFile(0)],
    }),
  ],
  [
    'informational-referral from XML (no informational flag: the XSD lacks it; recent)',
    'P4',
    evidence({
      report: report({
        ...recent,
        incidentType: 'CHILD_PORNOGRAPHY',
        personsReported: [abroadSuspect({ ipCaptureEvents: [ipEvent('192.0.2.60', { dateTime: NOW })] })],
      }),
      items: [knownFile(0), knownFile(1)],
    }),
  ],
];

/** Batched viral memes (known, category 2), as the feed's dampener-meets-floor scenarios send them. */
const viralMemes = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    ...knownFile(index, 2),
    item: file(index, { fileAnnotations: ['viral', 'potentialMeme'] }).item,
  }));
const freshAbroad = () => abroadSuspect({ ipCaptureEvents: [ipEvent('192.0.2.70', { dateTime: NOW })] });
const old = { incidentDateTime: NOW - 420 * DAY };
const escalation = 'Meeting planned; child at ongoing risk.';

/** The feed's scenarios where a floor meets every dampener: P1 by the floor, the score alone below P1 (freshest events, so the highest score they reach). */
const floored: [string, string, number, ReportEvidence][] = [
  [
    'enticement-escalated-batched',
    'floor:escalated_contact_offence',
    5,
    evidence({
      report: report({
        ...old,
        incidentType: 'ONLINE_ENTICEMENT',
        escalateToHighPriority: escalation,
        batched: true,
        batchedReason: 'VIRAL_POTENTIAL_MEME',
        personsReported: [freshAbroad()],
      }),
      items: viralMemes(5),
    }),
  ],
  [
    'ncmec-priority-1-informational',
    'floor:ncmec_priority_1',
    2,
    evidence({
      report: report({
        ...old,
        incidentType: 'CHILD_PORNOGRAPHY',
        ncmecPriority: 1,
        reportAnnotations: ['informational'],
        personsReported: [freshAbroad()],
      }),
      items: [knownFile(0), knownFile(1)],
    }),
  ],
  [
    'victim-escalated-csam-batched',
    'floor:victim_at_immediate_risk',
    15,
    evidence({
      report: report({
        ...old,
        incidentType: 'CHILD_PORNOGRAPHY',
        escalateToHighPriority: escalation,
        victims: [victim],
        batched: true,
        batchedReason: 'VIRAL_POTENTIAL_MEME',
        personsReported: [freshAbroad()],
      }),
      items: viralMemes(5),
    }),
  ],
];

describe('scoreReport on one hand-built report per feed scenario', () => {
  it.each(scenarios)('Given %s, When scored with the default rules, Then it lands on %s', (_, tier, ev) => {
    const scored = scoreReport(ev, defaultRules);
    expect(scored.tier).toBe(tier);
    expect(scored.reasons.length).toBeGreaterThan(0);
  });

  it.each(floored)(
    'Given %s (every dampener, fresh events), When scored, Then P1 by %s with a score of about %d, far below P1',
    (_, floor, score, ev) => {
      const scored = scoreReport(ev, defaultRules);
      expect(scored.tier).toBe('P1');
      expect(scored.reasons[0]!.factor).toBe(floor);
      expect(scored.score).toBeCloseTo(score, 1);
      expect(scored.score).toBeLessThan(defaultRules.tiers.P1);
    },
  );
});

describe('scoreReport', () => {
  const enticement = scenarios[0]![2];

  it('Given a report, When scored, Then the score is the sum of the reasons, floors first and then factors largest first, and the rule version is recorded', () => {
    const scored = scoreReport(enticement, defaultRules);
    expect(scored.score).toBe(scored.reasons.reduce((sum, reason) => sum + reason.contribution, 0));
    const sizes = scored.reasons
      .filter((reason) => !isFloorReason(reason))
      .map((reason) => Math.abs(reason.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(scored.reasons.map((reason) => reason.factor)).toEqual([
      'floor:escalated_contact_offence',
      'floor:victim_at_immediate_risk',
      'escalation',
      'home_jurisdiction',
      'victim_present',
      'content_novelty',
      'incident_type',
    ]);
    expect(scored.ruleVersion).toBe(defaultRules.ruleVersion);
  });

  it('Given a changed weight, When scored, Then the score changes and so does the rule version', () => {
    const changed = weightsWith({ escalation: 41 });
    const before = scoreReport(enticement, defaultRules);
    const after = scoreReport(enticement, changed);
    expect(after.score - before.score).toBe(1);
    expect(after.ruleVersion).not.toBe(before.ruleVersion);
    expect(after.ruleVersion.startsWith(`${defaultRules.version}+`)).toBe(true);
  });

  it('Given two files the company did or did not view, When scored, Then fileViewedByEsp changes nothing (an access gate, not a factor)', () => {
    const viewed = scoreReport({ ...enticement, items: [file(0, { fileViewedByEsp: true })] }, defaultRules);
    const unviewed = scoreReport(
      { ...enticement, items: [file(0, { fileViewedByEsp: false })] },
      defaultRules,
    );
    expect(unviewed).toEqual(viewed);
  });

  it('Given scores on the thresholds, When tiered, Then each threshold is the lowest score of its tier', () => {
    const atP2 = weightsWith({
      escalation: 0,
      incidentType: {},
      victimPresent: 60,
      contentNovelty: { new: 0, seen: 0, known: 0 },
    });
    const scored = scoreReport(evidence({ report: report({ victims: [victim] }) }), atP2);
    expect(scored).toMatchObject({ score: 60, tier: 'P2' });
    const justBelow = weightsWith({ victimPresent: 9.99 });
    expect(scoreReport(evidence({ report: report({ victims: [victim] }) }), justBelow).tier).toBe('P4');
  });

  it('Given the same evidence twice, When scored, Then the results are identical (replays give the same case)', () => {
    expect(scoreReport(scenarios[4]![2], defaultRules)).toEqual(scoreReport(scenarios[4]![2], defaultRules));
  });
});
