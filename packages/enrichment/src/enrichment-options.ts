import { TriageError } from '@triage/errors';
import type { DatabaseInfo } from './databases.ts';
import { pseudoCountryCodes } from './jurisdiction.ts';

export interface EnrichmentOptions {
  /** ISO 3166-1 alpha-2 code of the home jurisdiction. Default `NL`. */
  homeCountry?: string;
  /** Country mmdb (MaxMind GeoIP2/GeoLite2-Country or ip-location-db shape). Default: the city database if one is given, else the bundled ip-location-db geo-whois-asn-country. */
  countryDb?: string;
  /** City mmdb (GeoIP2/GeoLite2-City or ip-location-db geolite2-city). Default: none, so no city. */
  cityDb?: string;
  /** ASN mmdb (GeoLite2-ASN, GeoIP2-ISP) or ip-location-db ASN CSV. Default: the bundled ip-location-db asn CSVs. */
  asnDb?: string;
  /** Stamps `lookedUpAt` when a call gives no time of its own. Default `Date.now`. */
  clock?: () => number;
  /** How often configured database files are checked for a change, in ms; 0 = never. Default 5000. */
  reloadIntervalMs?: number;
  /** Called after a configured database file was reloaded. */
  onReload?: (database: DatabaseInfo) => void;
  /** Called when a changed database file could not be loaded (the old data stays in use). */
  onReloadError?: (error: TriageError) => void;
}

export interface ResolvedEnrichmentOptions {
  readonly homeCountry: string;
  readonly countryDb: string | undefined;
  readonly cityDb: string | undefined;
  readonly asnDb: string | undefined;
  readonly clock: () => number;
  readonly reloadIntervalMs: number;
  readonly onReload: ((database: DatabaseInfo) => void) | undefined;
  readonly onReloadError: ((error: TriageError) => void) | undefined;
}

export const defaultHomeCountry = 'NL';
const defaultReloadIntervalMs = 5_000;

/** Defaults applied and the home country checked: a real ISO code, upper-cased. */
export function resolveEnrichmentOptions(options: EnrichmentOptions): ResolvedEnrichmentOptions {
  const homeCountry = (options.homeCountry ?? defaultHomeCountry).trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(homeCountry) || pseudoCountryCodes.has(homeCountry)) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `home country must be an ISO 3166-1 alpha-2 country code, got ${JSON.stringify(options.homeCountry)}`,
    );
  }
  const reloadIntervalMs = options.reloadIntervalMs ?? defaultReloadIntervalMs;
  if (!Number.isInteger(reloadIntervalMs) || reloadIntervalMs < 0) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', 'reloadIntervalMs must be a whole number of ms >= 0');
  }
  const path = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value;
  return {
    homeCountry,
    countryDb: path(options.countryDb),
    cityDb: path(options.cityDb),
    asnDb: path(options.asnDb),
    clock: options.clock ?? Date.now,
    reloadIntervalMs,
    onReload: options.onReload,
    onReloadError: options.onReloadError,
  };
}
