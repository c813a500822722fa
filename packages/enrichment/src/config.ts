import { z } from 'zod';
import type { EnrichmentOptions } from './enrichment-options.ts';
import { pseudoCountryCodes } from './jurisdiction.ts';

const databasePath = (what: string) => z.string().trim().min(1).optional().describe(what);

/**
 * Environment of every process that enriches (the enricher, the scorer's report-level lookups,
 * `triage enrich`): the same names and meaning everywhere, so one deployment answers alike.
 */
export const enrichmentEnv = {
  ENRICH_HOME_COUNTRY: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code')
    .refine((code) => !pseudoCountryCodes.has(code), 'a pseudo-code such as EU or A1 names no country')
    .default('NL')
    .describe(
      'Home jurisdiction (ISO 3166-1 alpha-2): IPs located there, not flagged as proxies, are in jurisdiction',
    ),
  GEOIP_COUNTRY_DB: databasePath(
    'Country mmdb (MaxMind GeoIP2/GeoLite2-Country); unset: the city db, else the bundled ip-location-db snapshot',
  ),
  GEOIP_CITY_DB: databasePath('City mmdb (MaxMind GeoIP2/GeoLite2-City); unset: no city'),
  GEOIP_ASN_DB: databasePath(
    'ASN mmdb (MaxMind GeoLite2-ASN/GeoIP2-ISP) or ip-location-db ASN CSV; unset: the bundled snapshot',
  ),
  GEOIP_RELOAD_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5_000)
    .describe('How often the configured database files are checked for a replacement, in ms (0 = never)'),
} as const;

/** The loaded values of `enrichmentEnv`. */
export interface EnrichmentConfig {
  readonly ENRICH_HOME_COUNTRY: string;
  readonly GEOIP_COUNTRY_DB?: string | undefined;
  readonly GEOIP_CITY_DB?: string | undefined;
  readonly GEOIP_ASN_DB?: string | undefined;
  readonly GEOIP_RELOAD_INTERVAL_MS: number;
}

/** `NetworkEnricher.open` options from the configuration, plus the caller's reload callbacks. */
export function enrichmentOptionsFromConfig(
  config: EnrichmentConfig,
  hooks: Pick<EnrichmentOptions, 'onReload' | 'onReloadError'> = {},
): EnrichmentOptions {
  return {
    homeCountry: config.ENRICH_HOME_COUNTRY,
    ...(config.GEOIP_COUNTRY_DB === undefined ? {} : { countryDb: config.GEOIP_COUNTRY_DB }),
    ...(config.GEOIP_CITY_DB === undefined ? {} : { cityDb: config.GEOIP_CITY_DB }),
    ...(config.GEOIP_ASN_DB === undefined ? {} : { asnDb: config.GEOIP_ASN_DB }),
    reloadIntervalMs: config.GEOIP_RELOAD_INTERVAL_MS,
    ...hooks,
  };
}
