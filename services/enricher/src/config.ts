import { commonEnv, type Env, loadConfig } from '@triage/config';
import { pseudoCountryCodes } from '@triage/enrichment';
import { z } from 'zod';

const databasePath = (what: string) => z.string().trim().min(1).optional().describe(what);

export const enricherEnv = {
  ...commonEnv,
  ENRICHER_GROUP_ID: z
    .string()
    .min(1)
    .default('enricher')
    .describe('Consumer group of the enricher stage (items.hashed)'),
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

export type EnricherConfig = ReturnType<typeof loadEnricherConfig>;

export function loadEnricherConfig(env: Env) {
  return loadConfig(enricherEnv, env);
}
