import { loadConfig } from '@triage/config';
import { type EnrichmentOptions, enrichmentEnv, enrichmentOptionsFromConfig } from '@triage/enrichment';
import type { Command } from 'commander';

/** The IP-database flags of the commands that enrich offline (`enrich`, `explain`). */
export interface DatabaseFlags {
  countryDb?: string;
  cityDb?: string;
  asnDb?: string;
}

export function addDatabaseFlags(command: Command): Command {
  return command
    .option('--country-db <path>', 'country mmdb (default: GEOIP_COUNTRY_DB, else the bundled snapshot)')
    .option('--city-db <path>', 'city mmdb (default: GEOIP_CITY_DB, else none)')
    .option(
      '--asn-db <path>',
      'ASN mmdb or ip-location-db CSV (default: GEOIP_ASN_DB, else the bundled snapshot)',
    );
}

/**
 * Options for a one-shot `NetworkEnricher`: the services' environment (ENRICH_HOME_COUNTRY,
 * GEOIP_*), overridden by the flags, without file watching (the command exits after one run).
 */
export function offlineEnrichmentOptions(flags: DatabaseFlags & { homeCountry?: string }): EnrichmentOptions {
  const config = loadConfig(enrichmentEnv, {
    ...process.env,
    ...(flags.homeCountry === undefined ? {} : { ENRICH_HOME_COUNTRY: flags.homeCountry }),
    ...(flags.countryDb === undefined ? {} : { GEOIP_COUNTRY_DB: flags.countryDb }),
    ...(flags.cityDb === undefined ? {} : { GEOIP_CITY_DB: flags.cityDb }),
    ...(flags.asnDb === undefined ? {} : { GEOIP_ASN_DB: flags.asnDb }),
  });
  return { ...enrichmentOptionsFromConfig(config), reloadIntervalMs: 0 };
}
