import { describe, expect, it } from 'vitest';
import { inJurisdiction } from './jurisdiction.ts';

describe('inJurisdiction', () => {
  it('given a home-country address nobody flagged, when judged, then in jurisdiction', () => {
    expect(inJurisdiction({ countryCode: 'NL', possibleProxy: null }, 'NL')).toBe(true);
    expect(inJurisdiction({ countryCode: 'NL', possibleProxy: false }, 'NL')).toBe(true);
  });

  it('given an address abroad, when judged, then not in jurisdiction', () => {
    expect(inJurisdiction({ countryCode: 'DE', possibleProxy: null }, 'NL')).toBe(false);
  });

  it('given a home-country address flagged as a possible proxy, when judged, then it does not count', () => {
    expect(inJurisdiction({ countryCode: 'NL', possibleProxy: true }, 'NL')).toBe(false);
  });

  it('given a satellite provider in the home country, when judged, then it does not count', () => {
    expect(inJurisdiction({ countryCode: 'NL', possibleProxy: null, satelliteProvider: true }, 'NL')).toBe(
      false,
    );
  });

  it.each(['A1', 'A2', 'AP', 'EU', 'O1', 'ZZ'])(
    'given the pseudo-code %s, when judged, then it never counts',
    (code) => {
      expect(inJurisdiction({ countryCode: code, possibleProxy: null }, 'NL')).toBe(false);
    },
  );

  it('given no country, when judged, then unknown', () => {
    expect(inJurisdiction({ countryCode: null, possibleProxy: null }, 'NL')).toBeNull();
  });

  it('given another home country, when judged, then that country counts', () => {
    expect(inJurisdiction({ countryCode: 'DE', possibleProxy: false }, 'DE')).toBe(true);
    expect(inJurisdiction({ countryCode: 'NL', possibleProxy: false }, 'DE')).toBe(false);
  });
});
