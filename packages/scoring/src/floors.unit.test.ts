// Tier floors (issue 9 part 5, "danger is never cancelled by a dampener"): each floor of the
// default rules holds a report at P1 where the additive score alone would let a dampener (batched,
// viral content, an old incident, an informational label) push it lower; and no floor lowers a tier.
import type { Report } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import type { ReportEvidence } from './evidence.ts';
import { floorsOf, higherTier, isFloorReason } from './floors.ts';
import { scoreReport, tierOf } from './score-report.ts';
import {
  DAY,
  defaultRules,
  evidence,
  file,
  knownFile,
  location,
  NOW,
  party,
  person,
  report,
  rulesWith,
} from './testing/evidence-builder.ts';

/** The default rules without their floors: what the additive score alone decides. */
const noFloors = rulesWith({ floors: [] });

const escalationText = 'Meeting planned this week; the child is at risk.'; // 48 characters
const home = () => [person({ estimatedLocation: location('NL') })];
const abroad = () => [person({ estimatedLocation: location('DE') })];
/** The dampeners of issue 9: a batched report, every content item marked viral, an incident 400 days old. */
const dampened: Partial<Report> = {
  batched: true,
  batchedReason: 'VIRAL_POTENTIAL_MEME',
  incidentDateTime: NOW - 400 * DAY,
};
const viralNew = () => [file(0, { fileAnnotations: ['viral', 'potentialMeme'] })];
const viralKnown = () => [{ ...knownFile(0), item: file(0, { fileAnnotations: ['viral'] }).item }];

/** An escalated enticement at home with a victim and new content: P1 on its score alone. */
const escalatedEnticement = (overrides: Partial<Report> = {}, items = [file(0)]): ReportEvidence =>
  evidence({
    report: report({
      incidentType: 'ONLINE_ENTICEMENT',
      escalateToHighPriority: escalationText,
      victims: [party()],
      personsReported: home(),
      ...overrides,
    }),
    items,
  });

describe('floor escalated_contact_offence (escalation on a contact-offence incident type)', () => {
  it('Given an escalated enticement that is P1 on its score, When it is also batched, its content viral and its incident old, Then the score alone falls to P2 but the floor holds it at P1', () => {
    expect(scoreReport(escalatedEnticement(), noFloors).tier).toBe('P1');
    const ev = escalatedEnticement(dampened, viralNew());
    const alone = scoreReport(ev, noFloors);
    expect(alone.tier).toBe('P2');

    const floored = scoreReport(ev, defaultRules);
    expect(floored.tier).toBe('P1');
    expect(floored.score).toBe(alone.score);
    expect(floored.reasons[0]).toEqual({
      factor: 'floor:escalated_contact_offence',
      field: 'report.escalateToHighPriority, report.incidentType',
      value: 'text given (48 characters), ONLINE_ENTICEMENT -> at least P1 (score alone: P2)',
      contribution: 0,
    });
  });

  it.each([
    'ONLINE_ENTICEMENT',
    'CHILD_SEX_TRAFFICKING',
    'CHILD_SEXUAL_MOLESTATION',
    'CHILD_SEX_TOURISM',
  ] as const)(
    'Given an escalated %s abroad, without victim, batched with known viral content, When scored, Then it is P1 whatever the score',
    (incidentType) => {
      const ev = escalatedEnticement(
        { ...dampened, incidentType, victims: [], personsReported: abroad() },
        viralKnown(),
      );
      expect(tierOf(scoreReport(ev, noFloors).score, defaultRules)).not.toBe('P1');
      const scored = scoreReport(ev, defaultRules);
      expect(scored.tier).toBe('P1');
      expect(scored.reasons.filter(isFloorReason).map((reason) => reason.factor)).toEqual([
        'floor:escalated_contact_offence',
      ]);
    },
  );

  it('Given a contact offence without escalation text (or only blanks), When scored, Then no floor applies and the score decides', () => {
    for (const escalateToHighPriority of [null, '   ']) {
      const ev = escalatedEnticement({ ...dampened, escalateToHighPriority }, viralNew());
      expect(floorsOf(ev, defaultRules)).toEqual([]);
      expect(scoreReport(ev, defaultRules).tier).toBe(scoreReport(ev, noFloors).tier);
    }
  });
});

describe('floor ncmec_priority_1 (NCMEC believes a child is in imminent danger)', () => {
  it('Given NCMEC priority 1 on an informational referral of known content abroad with an old incident, When scored, Then the score alone is P4 but the floor holds it at P1', () => {
    const ev = evidence({
      report: report({
        incidentType: 'CHILD_PORNOGRAPHY',
        ncmecPriority: 1,
        ncmecReferralLabel: 'informational',
        incidentDateTime: NOW - 400 * DAY,
        personsReported: abroad(),
      }),
      items: [knownFile(0)],
    });
    expect(scoreReport(ev, noFloors).tier).toBe('P4');
    const scored = scoreReport(ev, defaultRules);
    expect(scored.tier).toBe('P1');
    expect(scored.reasons[0]).toEqual({
      factor: 'floor:ncmec_priority_1',
      field: 'report.ncmecPriority',
      value: '1 -> at least P1 (score alone: P4)',
      contribution: 0,
    });
  });

  it.each([2, 3, 0, null])(
    'Given NCMEC priority %s (its meaning is not public), When scored, Then no floor applies',
    (ncmecPriority) => {
      expect(floorsOf(evidence({ report: report({ ncmecPriority }) }), defaultRules)).toEqual([]);
    },
  );
});

describe('floor victim_at_immediate_risk (a recorded victim, and the company escalated)', () => {
  it('Given an escalated CSAM report naming a victim, batched with known viral content abroad, When scored, Then the score alone is P3 but the floor holds it at P1', () => {
    const ev = evidence({
      report: report({
        ...dampened,
        incidentType: 'CHILD_PORNOGRAPHY',
        escalateToHighPriority: escalationText,
        victims: [party(), party({ age: 11 })],
        personsReported: abroad(),
      }),
      items: viralKnown(),
    });
    expect(scoreReport(ev, noFloors).tier).toBe('P3');
    const scored = scoreReport(ev, defaultRules);
    expect(scored.tier).toBe('P1');
    expect(scored.reasons.filter(isFloorReason)).toEqual([
      {
        factor: 'floor:victim_at_immediate_risk',
        field: 'report.escalateToHighPriority, report.victims',
        value: 'text given (48 characters), 2 victims -> at least P1 (score alone: P3)',
        contribution: 0,
      },
    ]);
  });

  it('Given an escalated CSAM report naming only an intended recipient (who may be another offender), When scored, Then no floor applies', () => {
    const ev = evidence({
      report: report({
        incidentType: 'CHILD_PORNOGRAPHY',
        escalateToHighPriority: escalationText,
        intendedRecipients: [party()],
        personsReported: abroad(),
      }),
      items: [file(0)],
    });
    expect(floorsOf(ev, defaultRules)).toEqual([]);
    expect(scoreReport(ev, defaultRules).tier).toBe('P2');
  });

  it('Given a victim but no escalation, When scored, Then no floor applies', () => {
    const ev = evidence({ report: report({ incidentType: 'CHILD_PORNOGRAPHY', victims: [party()] }) });
    expect(floorsOf(ev, defaultRules)).toEqual([]);
  });
});

describe('floors and the tier', () => {
  const cases: [string, ReportEvidence][] = [
    ['an escalated enticement at home', escalatedEnticement()],
    ['an escalated enticement with every dampener', escalatedEnticement(dampened, viralNew())],
    ['a plain report', evidence()],
    [
      'known content abroad',
      evidence({ report: report({ personsReported: abroad() }), items: [knownFile(0)] }),
    ],
    ['NCMEC priority 1 alone', evidence({ report: report({ ncmecPriority: 1 }) })],
  ];

  it.each(cases)(
    'Given %s, When scored with and without floors, Then the floors never make the tier less urgent and never change the score',
    (_, ev) => {
      const withFloors = scoreReport(ev, defaultRules);
      const without = scoreReport(ev, noFloors);
      expect(higherTier(withFloors.tier, without.tier)).toBe(withFloors.tier);
      expect(withFloors.score).toBe(without.score);
      expect(withFloors.reasons.filter((reason) => !isFloorReason(reason))).toEqual(without.reasons);
    },
  );

  it('Given a P3 floor on a report whose score is P1, When scored, Then it stays P1 and the floor is shown without raising anything', () => {
    const rules = rulesWith({ floors: [{ name: 'any_escalation', tier: 'P3', when: { escalated: true } }] });
    const scored = scoreReport(escalatedEnticement(), rules);
    expect(scored.tier).toBe('P1');
    expect(scored.reasons[0]).toEqual({
      factor: 'floor:any_escalation',
      field: 'report.escalateToHighPriority',
      value: 'text given (48 characters) -> at least P3',
      contribution: 0,
    });
  });

  it('Given a P2 floor and a P1 floor that both apply, When scored, Then the tier is P1 and the more urgent floor comes first', () => {
    const rules = rulesWith({
      floors: [
        { name: 'victim_named', tier: 'P2', when: { victimRecorded: true } },
        { name: 'any_escalation', tier: 'P1', when: { escalated: true } },
      ],
    });
    const ev = escalatedEnticement(dampened, viralNew());
    const scored = scoreReport(ev, rules);
    expect(scored.tier).toBe('P1');
    expect(scored.reasons.filter(isFloorReason).map((reason) => reason.factor)).toEqual([
      'floor:any_escalation',
      'floor:victim_named',
    ]);
  });

  it('Given conditions written in another order, When a floor applies, Then its reason names the fields in the same order', () => {
    const rules = rulesWith({
      floors: [{ name: 'named', tier: 'P1', when: { victimRecorded: true, escalated: true } }],
    });
    expect(floorsOf(escalatedEnticement(), rules)).toEqual([
      {
        name: 'named',
        tier: 'P1',
        field: 'report.escalateToHighPriority, report.victims',
        value: 'text given (48 characters), 1 victim',
      },
    ]);
  });
});
