import { describe, expect, it } from 'vitest';
import { defaultRules, evidence, person, REPORT_ID, report } from '../testing/evidence-builder.ts';
import { linkedReports, priorReports } from './repeat-suspect.ts';

describe('priorReports', () => {
  it('Given two earlier CyberTipline reports on two persons (one repeated), When weighed, Then it adds the weight once and counts two', () => {
    const persons = [
      person({ priorCTReports: ['90000001', '90000002'] }),
      person({ priorCTReports: ['90000001'] }),
    ];
    expect(priorReports(evidence({ report: report({ personsReported: persons }) }), defaultRules)).toEqual({
      contribution: 15,
      field: 'report.personsReported[].priorCTReports',
      value: '2 earlier reports',
    });
  });
  it('Given no earlier reports, When weighed, Then it does not apply', () => {
    expect(
      priorReports(evidence({ report: report({ personsReported: [person()] }) }), defaultRules),
    ).toBeNull();
  });
});

describe('linkedReports', () => {
  it('Given links to two reports by e-mail and IP, When weighed, Then it adds the weight and names the kinds, not the values', () => {
    const links = [
      { reportId: 'tipline-nl:100000002', identifierType: 'email' },
      { reportId: 'tipline-nl:100000002', identifierType: 'ip' },
      { reportId: 'platform-social:500000001', identifierType: 'email' },
    ];
    expect(linkedReports(evidence({ links }), defaultRules)).toEqual({
      contribution: 15,
      field: 'links',
      value: '2 other reports (email, ip)',
    });
  });
  it('Given only a link to itself, When weighed, Then it does not apply', () => {
    expect(
      linkedReports(evidence({ links: [{ reportId: REPORT_ID, identifierType: 'email' }] }), defaultRules),
    ).toBeNull();
  });
});
