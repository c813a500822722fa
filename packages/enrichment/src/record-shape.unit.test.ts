import { describe, expect, it } from 'vitest';
import { asnAnswerOf, geoAnswerOf } from './record-shape.ts';

const plain = { anonymousProxy: false, satelliteProvider: false };

describe('geoAnswerOf', () => {
  it('given an ip-location-db country record, when mapped, then its country code', () => {
    expect(geoAnswerOf({ country_code: 'NL' })).toEqual({ countryCode: 'NL', city: null, ...plain });
  });

  it('given an ip-location-db city record, when mapped, then country and city from the flat fields', () => {
    expect(
      geoAnswerOf({
        city: 'Amsterdam',
        country_code: 'nl',
        state1: 'North Holland',
        latitude: 52.37,
        longitude: 4.89,
      }),
    ).toEqual({ countryCode: 'NL', city: 'Amsterdam', ...plain });
  });

  it('given a GeoIP2 City record, when mapped, then the nested ISO code and the English city name', () => {
    const record = {
      city: { geoname_id: 2759794, names: { de: 'Amsterdam (de)', en: 'Amsterdam' } },
      continent: { code: 'EU', names: { en: 'Europe' } },
      country: { iso_code: 'NL', names: { en: 'Netherlands' } },
      registered_country: { iso_code: 'DE', names: { en: 'Germany' } },
      location: { latitude: 52.37, longitude: 4.89 },
    };
    expect(geoAnswerOf(record)).toEqual({ countryCode: 'NL', city: 'Amsterdam', ...plain });
  });

  it('given a GeoIP2 city without an English name, when mapped, then the first name given', () => {
    expect(geoAnswerOf({ country: { iso_code: 'FR' }, city: { names: { fr: 'Roubaix' } } })?.city).toBe(
      'Roubaix',
    );
  });

  it('given only a registered country (no location), when mapped, then no country: registration is not location', () => {
    expect(geoAnswerOf({ continent: { code: 'EU' }, registered_country: { iso_code: 'NL' } })).toBeNull();
  });

  it('given GeoIP2 proxy and satellite traits, when mapped, then both flags', () => {
    expect(geoAnswerOf({ traits: { is_anonymous_proxy: true } })).toEqual({
      countryCode: null,
      city: null,
      anonymousProxy: true,
      satelliteProvider: false,
    });
    expect(
      geoAnswerOf({ country: { iso_code: 'US' }, traits: { is_satellite_provider: true } })
        ?.satelliteProvider,
    ).toBe(true);
  });

  it('given legacy pseudo-codes A1 and A2 in the flat shape, when mapped, then they set the proxy and satellite flags', () => {
    expect(geoAnswerOf({ country_code: 'A1' })).toMatchObject({ countryCode: 'A1', anonymousProxy: true });
    expect(geoAnswerOf({ country_code: 'A2' })).toMatchObject({ countryCode: 'A2', satelliteProvider: true });
  });

  it.each([
    null,
    'NL',
    42,
    [],
    {},
    { country_code: 'Netherlands' },
    { country: { iso_code: 7 } },
    { city: '  ' },
  ])('given %j, when mapped, then no answer', (record) => {
    expect(geoAnswerOf(record)).toBeNull();
  });
});

describe('asnAnswerOf', () => {
  it('given a GeoLite2-ASN record, when mapped, then number and organisation', () => {
    expect(
      asnAnswerOf({
        autonomous_system_number: 60781,
        autonomous_system_organization: 'LeaseWeb Netherlands B.V.',
      }),
    ).toEqual({ asn: 60781, organization: 'LeaseWeb Netherlands B.V.' });
  });

  it('given a GeoIP2-ISP record without an organisation, when mapped, then the number and null', () => {
    expect(asnAnswerOf({ autonomous_system_number: 64500, isp: 'Example ISP' })).toEqual({
      asn: 64500,
      organization: null,
    });
  });

  it.each([
    null,
    {},
    { autonomous_system_number: 'AS1' },
    { autonomous_system_number: -1 },
    { autonomous_system_number: 1.5 },
  ])('given %j, when mapped, then no answer', (record) => {
    expect(asnAnswerOf(record)).toBeNull();
  });
});
