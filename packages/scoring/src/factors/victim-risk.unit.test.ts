import { describe, expect, it } from 'vitest';
import { defaultRules, evidence, party, report, weightsWith } from '../testing/evidence-builder.ts';
import {
  escalation,
  incidentType,
  informational,
  ncmecPriority1,
  reportAnnotations,
  victimPresent,
} from './victim-risk.ts';

const victim = party();

describe('escalation', () => {
  it('Given escalation text, When weighed, Then it adds the escalation weight and names the field without the text', () => {
    const found = escalation(
      evidence({ report: report({ escalateToHighPriority: 'Child at risk; meeting planned.' }) }),
      defaultRules,
    );
    expect(found).toEqual({
      contribution: 40,
      field: 'report.escalateToHighPriority',
      value: 'text given (31 characters)',
    });
  });
  it('Given blank or no escalation text, When weighed, Then it does not apply', () => {
    expect(
      escalation(evidence({ report: report({ escalateToHighPriority: '  ' }) }), defaultRules),
    ).toBeNull();
    expect(escalation(evidence(), defaultRules)).toBeNull();
  });
  it('Given a changed weight, When weighed, Then the contribution follows the rules', () => {
    const found = escalation(
      evidence({ report: report({ escalateToHighPriority: 'x' }) }),
      weightsWith({ escalation: 7 }),
    );
    expect(found?.contribution).toBe(7);
  });
});

describe('ncmecPriority1', () => {
  it('Given NCMEC priority 1, When weighed, Then it adds the priority-1 weight', () => {
    expect(ncmecPriority1(evidence({ report: report({ ncmecPriority: 1 }) }), defaultRules)).toEqual({
      contribution: 40,
      field: 'report.ncmecPriority',
      value: '1',
    });
  });
  it.each([2, 3, 0, null])(
    'Given NCMEC priority %s (meaning not public), When weighed, Then it is not interpreted',
    (level) => {
      expect(ncmecPriority1(evidence({ report: report({ ncmecPriority: level }) }), defaultRules)).toBeNull();
    },
  );
});

describe('incidentType', () => {
  it.each([
    ['ONLINE_ENTICEMENT', 20],
    ['CHILD_SEX_TRAFFICKING', 20],
    ['CHILD_SEXUAL_MOLESTATION', 20],
    ['CHILD_PORNOGRAPHY', 5],
  ] as const)('Given incident type %s, When weighed, Then it adds %d', (type, points) => {
    expect(incidentType(evidence({ report: report({ incidentType: type }) }), defaultRules)).toEqual({
      contribution: points,
      field: 'report.incidentType',
      value: type,
    });
  });
  it('Given an incident type without a weight, When weighed, Then it does not apply', () => {
    expect(
      incidentType(evidence({ report: report({ incidentType: 'MISLEADING_DOMAIN_NAME' }) }), defaultRules),
    ).toBeNull();
  });
});

describe('victimPresent', () => {
  it('Given a victim and an intended recipient, When weighed, Then it adds the weight once and counts both', () => {
    const found = victimPresent(
      evidence({ report: report({ victims: [victim], intendedRecipients: [victim] }) }),
      defaultRules,
    );
    expect(found).toEqual({
      contribution: 25,
      field: 'report.victims, report.intendedRecipients',
      value: '1 victim, 1 intended recipient',
    });
  });
  it('Given only intended recipients, When weighed, Then it applies', () => {
    expect(
      victimPresent(evidence({ report: report({ intendedRecipients: [victim, victim] }) }), defaultRules)
        ?.value,
    ).toBe('2 intended recipients');
  });
  it('Given nobody at risk is named, When weighed, Then it does not apply', () => {
    expect(victimPresent(evidence(), defaultRules)).toBeNull();
  });
});

describe('reportAnnotations', () => {
  it('Given sextortion and csamSolicitation, When weighed, Then their weights add up and both are named', () => {
    const found = reportAnnotations(
      evidence({ report: report({ reportAnnotations: ['sextortion', 'csamSolicitation'] }) }),
      defaultRules,
    );
    expect(found).toEqual({
      contribution: 23,
      field: 'report.reportAnnotations',
      value: 'csamSolicitation, sextortion',
    });
  });
  it('Given spam, When weighed, Then it lowers the score', () => {
    expect(
      reportAnnotations(evidence({ report: report({ reportAnnotations: ['spam'] }) }), defaultRules)
        ?.contribution,
    ).toBe(-20);
  });
  it('Given only flags without a weight (informational has its own factor), When weighed, Then it does not apply', () => {
    expect(
      reportAnnotations(
        evidence({ report: report({ reportAnnotations: ['informational', 'newFlag'] }) }),
        defaultRules,
      ),
    ).toBeNull();
  });
});

describe('informational', () => {
  it('Given the informational annotation, When weighed, Then it lowers the score', () => {
    expect(
      informational(evidence({ report: report({ reportAnnotations: ['informational'] }) }), defaultRules),
    ).toEqual({
      contribution: -40,
      field: 'report.reportAnnotations',
      value: 'informational',
    });
  });
  it("Given NCMEC's referral label informational, When weighed, Then it lowers the score", () => {
    expect(
      informational(evidence({ report: report({ ncmecReferralLabel: 'Informational' }) }), defaultRules)
        ?.field,
    ).toBe('report.ncmecReferralLabel');
  });
  it('Given an actionable referral, When weighed, Then it does not apply', () => {
    expect(
      informational(evidence({ report: report({ ncmecReferralLabel: 'actionable' }) }), defaultRules),
    ).toBeNull();
  });
});
