import { describe, expect, it } from 'vitest';
import { assessTier, type ReportFacts } from './tiers.ts';

const none: ReportFacts = {
  escalation: false,
  victimRiskIncident: false,
  contactOffence: false,
  ncmecPriority1: false,
  sextortion: false,
  victimPresent: false,
  victimRecorded: false,
  homeJurisdiction: false,
  newContent: false,
  knownContent: false,
  allKnown: false,
  seenContent: false,
  productionIndicator: false,
  repeatSuspect: false,
  batchedViral: false,
  informational: false,
};

/** The facts of the P1 rule without those the floors read (contact offence, recorded victim). */
const p1: ReportFacts = {
  ...none,
  escalation: true,
  victimRiskIncident: true,
  victimPresent: true,
  homeJurisdiction: true,
  newContent: true,
};

describe('assessTier', () => {
  it('given an escalated risk incident with a victim present, a home link and new content but no floor, when assessed, then P1 names all five', () => {
    expect(assessTier(p1)).toEqual({
      tier: 'P1',
      reasons: ['escalation', 'victim_risk_incident', 'victim_present', 'home_jurisdiction', 'new_content'],
    });
  });

  it('given sextortion instead of a risk incident type, when assessed, then still P1 with sextortion as the reason', () => {
    expect(assessTier({ ...p1, victimRiskIncident: false, sextortion: true }).reasons).toEqual([
      'escalation',
      'sextortion',
      'victim_present',
      'home_jurisdiction',
      'new_content',
    ]);
  });

  it.each([
    ['escalation', { escalation: false }],
    ['home link', { homeJurisdiction: false }],
  ] as const)(
    'given a P1 report without its %s, when assessed, then P2 for the victim at risk',
    (_, change) => {
      expect(assessTier({ ...p1, ...change })).toEqual({
        tier: 'P2',
        reasons: ['victim_risk_incident', 'victim_present', 'new_content'],
      });
    },
  );

  it('given a P1 report whose content is all known, when assessed, then P3, since nothing new is at stake', () => {
    expect(assessTier({ ...p1, newContent: false, knownContent: true, allKnown: true }).tier).toBe('P3');
  });

  it('given new content at home with a production indicator and a repeat suspect, when assessed, then P2 with both', () => {
    expect(
      assessTier({
        ...none,
        newContent: true,
        homeJurisdiction: true,
        productionIndicator: true,
        repeatSuspect: true,
      }),
    ).toEqual({
      tier: 'P2',
      reasons: ['new_content', 'home_jurisdiction', 'production_indicator', 'repeat_suspect'],
    });
  });

  it('given new content abroad with a production indicator, when assessed, then P3 (production counts at home only)', () => {
    expect(assessTier({ ...none, newContent: true, productionIndicator: true })).toEqual({
      tier: 'P3',
      reasons: ['new_content', 'production_indicator'],
    });
  });

  it('given a batched viral report at home, when assessed, then P4 even with a home link', () => {
    expect(
      assessTier({ ...none, batchedViral: true, homeJurisdiction: true, knownContent: true, allKnown: true }),
    ).toEqual({ tier: 'P4', reasons: ['batched_viral'] });
  });

  it('given a batched viral report that also carries new content of a home producer, when assessed, then P2 wins', () => {
    expect(
      assessTier({
        ...none,
        batchedViral: true,
        newContent: true,
        homeJurisdiction: true,
        productionIndicator: true,
      }).tier,
    ).toBe('P2');
  });

  it('given an informational referral, when assessed, then P4 for that reason', () => {
    expect(assessTier({ ...none, informational: true, knownContent: true, allKnown: true })).toEqual({
      tier: 'P4',
      reasons: ['informational'],
    });
  });

  it('given only known content, no victim and no home link, when assessed, then P4 naming all three', () => {
    expect(assessTier({ ...none, knownContent: true, allKnown: true })).toEqual({
      tier: 'P4',
      reasons: ['known_content', 'no_home_link', 'no_victim'],
    });
  });

  it('given only known content at home, when assessed, then P3 (a home distributor)', () => {
    expect(assessTier({ ...none, knownContent: true, allKnown: true, homeJurisdiction: true })).toEqual({
      tier: 'P3',
      reasons: ['known_content', 'home_jurisdiction'],
    });
  });

  it('given content seen in other reports but on no list, abroad, when assessed, then P3 for seen content', () => {
    expect(assessTier({ ...none, seenContent: true })).toEqual({ tier: 'P3', reasons: ['seen_content'] });
  });

  it('given no fact at all, when assessed, then P3 with no_priority_factor', () => {
    expect(assessTier(none)).toEqual({ tier: 'P3', reasons: ['no_priority_factor'] });
  });
});

describe("assessTier: floors first (the scorer's tier floors, issue 9 part 5)", () => {
  /** Every dampener the feed has, and nothing that earns points. */
  const dampened: ReportFacts = {
    ...none,
    batchedViral: true,
    informational: true,
    knownContent: true,
    allKnown: true,
  };

  it('given an escalated contact offence with every dampener, when assessed, then P1 for that floor alone', () => {
    expect(
      assessTier({ ...dampened, escalation: true, victimRiskIncident: true, contactOffence: true }),
    ).toEqual({ tier: 'P1', reasons: ['floor_escalated_contact_offence'] });
  });

  it('given NCMEC priority 1 with every dampener, when assessed, then P1 for that floor', () => {
    expect(assessTier({ ...dampened, ncmecPriority1: true })).toEqual({
      tier: 'P1',
      reasons: ['floor_ncmec_priority_1'],
    });
  });

  it('given an escalation and a recorded victim with every dampener, when assessed, then P1 for that floor', () => {
    expect(assessTier({ ...dampened, escalation: true, victimPresent: true, victimRecorded: true })).toEqual({
      tier: 'P1',
      reasons: ['floor_victim_at_immediate_risk'],
    });
  });

  it("given an escalated enticement with a victim, when assessed, then every floor that applies is a reason, in the rules' order", () => {
    expect(
      assessTier({
        ...p1,
        contactOffence: true,
        victimRecorded: true,
        ncmecPriority1: true,
      }),
    ).toEqual({
      tier: 'P1',
      reasons: [
        'floor_escalated_contact_offence',
        'floor_ncmec_priority_1',
        'floor_victim_at_immediate_risk',
      ],
    });
  });

  it.each([
    ['a contact offence without escalation', { contactOffence: true, victimRiskIncident: true }],
    ['an escalation on an incident that is no contact offence, without a victim', { escalation: true }],
    ['an escalation with only an intended recipient', { escalation: true, victimPresent: true }],
    ['a victim without escalation', { victimPresent: true, victimRecorded: true }],
  ] as const)('given %s and the dampeners, when assessed, then no floor: P4', (_, change) => {
    expect(assessTier({ ...dampened, ...change }).tier).toBe('P4');
  });
});
