import { describe, expect, it } from 'vitest';
import {
  defaultRules,
  evidence,
  file,
  ipEnrichment,
  ipEvent,
  location,
  person,
  report,
  rulesWith,
} from '../testing/evidence-builder.ts';
import { homeJurisdiction } from './jurisdiction.ts';

const PERSON_IP = 'report.personsReported[0].ipCaptureEvents[0]';

describe('homeJurisdiction', () => {
  it("Given a suspect's estimated location in the home country, When weighed, Then it adds the jurisdiction weight", () => {
    const found = homeJurisdiction(
      evidence({ report: report({ personsReported: [person({ estimatedLocation: location('nl') })] }) }),
      defaultRules,
    );
    expect(found).toEqual({
      contribution: 25,
      field: 'report.personsReported[0].estimatedLocation.countryCode',
      value: 'NL (estimated location)',
    });
  });
  it("Given a suspect's IP geolocated in the home country and not a proxy, When weighed, Then it applies without naming the address", () => {
    const suspect = person({ ipCaptureEvents: [ipEvent('192.0.2.10')], estimatedLocation: location('DE') });
    const found = homeJurisdiction(
      evidence({
        report: report({ personsReported: [suspect] }),
        reportEnrichment: [ipEnrichment(PERSON_IP, '192.0.2.10', 'NL')],
      }),
      defaultRules,
    );
    expect(found).toEqual({
      contribution: 25,
      field: `${PERSON_IP}.ipAddress`,
      value: 'NL (IP geolocation, not flagged as proxy)',
    });
  });
  it('Given a home IP the partner flagged possibleProxy, When weighed, Then it does not count (even if the enrichment lacks the flag)', () => {
    const suspect = person({ ipCaptureEvents: [ipEvent('192.0.2.10', { possibleProxy: true })] });
    const found = homeJurisdiction(
      evidence({
        report: report({ personsReported: [suspect] }),
        reportEnrichment: [ipEnrichment(PERSON_IP, '192.0.2.10', 'NL')],
      }),
      defaultRules,
    );
    expect(found).toBeNull();
  });
  it('Given a home IP the enrichment flags as proxy, When weighed, Then it does not count', () => {
    const suspect = person({ ipCaptureEvents: [ipEvent('192.0.2.10')] });
    const enrichment = ipEnrichment(PERSON_IP, '192.0.2.10', 'NL', { possibleProxy: true });
    expect(
      homeJurisdiction(
        evidence({ report: report({ personsReported: [suspect] }), reportEnrichment: [enrichment] }),
        defaultRules,
      ),
    ).toBeNull();
  });
  it("Given a file's upload IP in the home country, When weighed, Then it applies and names the item", () => {
    const upload = { ...file(3, { uploadIpEvent: ipEvent('198.51.100.7', { eventName: 'Upload' }) }) };
    const item = { ...upload, enrichment: [ipEnrichment('item.uploadIpEvent', '198.51.100.7', 'NL')] };
    expect(homeJurisdiction(evidence({ items: [item] }), defaultRules)?.field).toBe(
      'items[3].item.uploadIpEvent.ipAddress',
    );
  });
  it('Given only a URL host located in the home country, When weighed, Then hosting does not count as jurisdiction', () => {
    const host = ipEnrichment('item.locationOfFile', '203.0.113.5', 'NL');
    expect(
      homeJurisdiction(evidence({ items: [{ ...file(0), enrichment: [host] }] }), defaultRules),
    ).toBeNull();
  });
  it('Given a suspect abroad, When weighed against home country DE, Then the configured home country decides', () => {
    const ev = evidence({
      report: report({ personsReported: [person({ estimatedLocation: location('DE') })] }),
    });
    expect(homeJurisdiction(ev, defaultRules)).toBeNull();
    expect(homeJurisdiction(ev, rulesWith({ homeCountry: 'DE' }))?.value).toBe('DE (estimated location)');
  });
  it('Given the pseudo-code A1 (anonymous proxy) as location, When weighed, Then it is no home link', () => {
    expect(
      homeJurisdiction(
        evidence({ report: report({ personsReported: [person({ estimatedLocation: location('A1') })] }) }),
        defaultRules,
      ),
    ).toBeNull();
  });
});
