import { describe, expect, it } from 'vitest';
import { loadEnricherConfig } from './config.ts';

describe('loadEnricherConfig', () => {
  it('given no variables, when loaded, then NL, the enricher group, bundled data and a 5 s reload check', () => {
    expect(loadEnricherConfig({})).toMatchObject({
      ENRICHER_GROUP_ID: 'enricher',
      ENRICH_HOME_COUNTRY: 'NL',
      GEOIP_COUNTRY_DB: undefined,
      GEOIP_CITY_DB: undefined,
      GEOIP_ASN_DB: undefined,
      GEOIP_RELOAD_INTERVAL_MS: 5000,
    });
  });

  it('given a lower-case home country and database paths, when loaded, then upper-cased and kept', () => {
    expect(
      loadEnricherConfig({
        ENRICH_HOME_COUNTRY: ' de ',
        GEOIP_CITY_DB: '/data/GeoIP2-City.mmdb',
        GEOIP_ASN_DB: '/data/GeoLite2-ASN.mmdb',
        GEOIP_RELOAD_INTERVAL_MS: '0',
      }),
    ).toMatchObject({
      ENRICH_HOME_COUNTRY: 'DE',
      GEOIP_CITY_DB: '/data/GeoIP2-City.mmdb',
      GEOIP_ASN_DB: '/data/GeoLite2-ASN.mmdb',
      GEOIP_RELOAD_INTERVAL_MS: 0,
    });
  });

  it.each(['Netherlands', 'EU', 'A1', 'N1'])(
    'given the home country %j, when loaded, then the variable is named in the error',
    (value) => {
      expect(() => loadEnricherConfig({ ENRICH_HOME_COUNTRY: value })).toThrow(/ENRICH_HOME_COUNTRY/);
    },
  );

  it('given a negative reload interval, when loaded, then refused', () => {
    expect(() => loadEnricherConfig({ GEOIP_RELOAD_INTERVAL_MS: '-1' })).toThrow(/GEOIP_RELOAD_INTERVAL_MS/);
  });
});
