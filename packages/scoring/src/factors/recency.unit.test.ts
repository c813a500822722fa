import { describe, expect, it } from 'vitest';
import {
  DAY,
  defaultRules,
  evidence,
  file,
  ipEvent,
  NOW,
  person,
  report,
  rulesWith,
} from '../testing/evidence-builder.ts';
import { decayed, incidentRecency, ipEventRecency } from './recency.ts';

describe('decayed', () => {
  it('Given an age of one half-life, When decayed, Then half the weight is left', () => {
    expect(decayed(4, NOW - 30 * DAY, NOW, 30)).toBeCloseTo(2, 10);
  });
  it('Given a time after now, When decayed, Then it counts as now (full weight)', () => {
    expect(decayed(4, NOW + 5 * DAY, NOW, 30)).toBe(4);
  });
});

describe('incidentRecency', () => {
  it('Given an incident 30 days ago and a 30-day half-life, When weighed, Then half the weight applies and the date is named', () => {
    expect(
      incidentRecency(evidence({ report: report({ incidentDateTime: NOW - 30 * DAY }) }), defaultRules),
    ).toEqual({
      contribution: 1.5,
      field: 'report.incidentDateTime',
      value: '2026-10-29 (30 days before now)',
    });
  });
  it('Given a longer half-life in the rules, When weighed, Then the same incident weighs more', () => {
    const ev = evidence({ report: report({ incidentDateTime: NOW - 30 * DAY }) });
    const longer = rulesWith({ halfLifeDays: { incident: 60, ipEvent: 30 } });
    expect(incidentRecency(ev, longer)!.contribution).toBeGreaterThan(
      incidentRecency(ev, defaultRules)!.contribution,
    );
  });
  it('Given no incident time, When weighed, Then it does not apply', () => {
    expect(incidentRecency(evidence(), defaultRules)).toBeNull();
  });
});

describe('ipEventRecency', () => {
  it('Given a login 60 days ago and an upload today, When weighed, Then the latest event (the upload) counts', () => {
    const suspect = person({ ipCaptureEvents: [ipEvent('192.0.2.1', { dateTime: NOW - 60 * DAY })] });
    const upload = file(2, { uploadIpEvent: ipEvent('192.0.2.1', { eventName: 'Upload', dateTime: NOW }) });
    expect(
      ipEventRecency(
        evidence({ report: report({ personsReported: [suspect] }), items: [upload] }),
        defaultRules,
      ),
    ).toEqual({
      contribution: 3,
      field: 'items[2].item.uploadIpEvent.dateTime',
      value: '2026-11-28 (0 days before now)',
    });
  });
  it('Given IP events without times, When weighed, Then it does not apply', () => {
    const suspect = person({ ipCaptureEvents: [ipEvent('192.0.2.1')] });
    expect(
      ipEventRecency(evidence({ report: report({ personsReported: [suspect] }) }), defaultRules),
    ).toBeNull();
  });
});
