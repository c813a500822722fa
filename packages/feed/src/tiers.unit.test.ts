import { describe, expect, it } from 'vitest';
import { assessTier, type ReportFacts } from './tiers.ts';

const none: ReportFacts = {
  escalation: false,
  victimRiskIncident: false,
  sextortion: false,
  victimPresent: false,
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

const p1: ReportFacts = {
  ...none,
  escalation: true,
  victimRiskIncident: true,
  victimPresent: true,
  homeJurisdiction: true,
  newContent: true,
};

describe('assessTier', () => {
  it('given escalated enticement with a victim, a home link and new content, when assessed, then P1 names all five', () => {
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
