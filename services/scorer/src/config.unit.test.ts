import { describe, expect, it } from 'vitest';
import { loadScorerConfig } from './config.ts';

describe('loadScorerConfig', () => {
  it('given no variables, when loaded, then the scorer group, the default rules, NL and the documented throttles', () => {
    expect(loadScorerConfig({})).toMatchObject({
      SCORER_GROUP_ID: 'scorer',
      SCORING_RULES_FILE: undefined,
      ENRICH_HOME_COUNTRY: 'NL',
      GEOIP_CITY_DB: undefined,
      SCORER_PROVISIONAL_EVERY: 200,
      SCORER_QUIET_MS: 60_000,
      SCORER_OPEN_WINDOW_MS: 600_000,
      SCORER_STATE_DIR: '.data/scorer/state',
      SCORER_STATE_CACHE_ENTRIES: 50_000,
    });
  });

  it('given an open window shorter than the quiet time, when loaded, then both variables are named', () => {
    const load = () => loadScorerConfig({ SCORER_QUIET_MS: '120000', SCORER_OPEN_WINDOW_MS: '60000' });
    expect(load).toThrow(/SCORER_OPEN_WINDOW_MS: 60000 is shorter than SCORER_QUIET_MS \(120000\)/);
    expect(loadScorerConfig({ SCORER_QUIET_MS: '120000', SCORER_OPEN_WINDOW_MS: '120000' })).toMatchObject({
      SCORER_OPEN_WINDOW_MS: 120_000,
    });
  });

  it('given the enricher variables, when loaded, then the scorer reads them the same way', () => {
    expect(
      loadScorerConfig({ ENRICH_HOME_COUNTRY: ' de ', GEOIP_ASN_DB: '/data/GeoLite2-ASN.mmdb' }),
    ).toMatchObject({ ENRICH_HOME_COUNTRY: 'DE', GEOIP_ASN_DB: '/data/GeoLite2-ASN.mmdb' });
  });

  it.each([
    ['SCORER_PROVISIONAL_EVERY', '0'],
    ['SCORER_PROVISIONAL_EVERY', 'often'],
    ['SCORER_QUIET_MS', '10'],
    ['SCORER_STATE_CACHE_ENTRIES', '-1'],
    ['ENRICH_HOME_COUNTRY', 'EU'],
  ])('given %s=%j, when loaded, then the variable is named in the error', (name, value) => {
    expect(() => loadScorerConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
