import { loadConfig } from '@triage/config';
import { enrichmentEnv, enrichmentOptionsFromConfig, NetworkEnricher, parseIp } from '@triage/enrichment';
import { TriageError, toProblem, toTriageError } from '@triage/errors';
import type { NetworkEnrichment } from '@triage/schemas';
import type { Command } from 'commander';

interface EnrichFlags {
  homeCountry?: string;
  countryDb?: string;
  cityDb?: string;
  asnDb?: string;
}

/** The enrichment as an operator reads it: `country` for the ISO code, times as ISO 8601. */
function view(input: string, homeCountry: string, enrichment: NetworkEnrichment) {
  return {
    input,
    subjectType: enrichment.subjectType,
    ip: enrichment.ip,
    host: enrichment.host,
    registrableDomain: enrichment.registrableDomain,
    country: enrichment.countryCode,
    city: enrichment.city,
    asn: enrichment.asn,
    asOrganization: enrichment.asOrganization,
    homeCountry,
    inJurisdiction: enrichment.inJurisdiction,
    possibleProxy: enrichment.possibleProxy,
    sources: enrichment.sources.map(({ database, version, lookedUpAt }) => ({
      database,
      version,
      lookedUpAt: new Date(lookedUpAt).toISOString(),
    })),
  };
}

/**
 * `triage enrich <ip|url>`: the enricher's lookups for one IP address or URL, offline, as JSON:
 * country (ISO code), city, ASN (number), AS organisation, registrable domain, jurisdiction, and
 * the databases (name, version) that answered. The databases and home country come from the
 * enricher's environment (ENRICH_HOME_COUNTRY, GEOIP_*_DB), overridden by the flags. Input that
 * is neither, or a database that cannot be read: the RFC 9457 problem, exit 1.
 */
export function registerEnrichCommand(program: Command): void {
  program
    .command('enrich')
    .description('Country, city, ASN and AS organisation of an IP address or URL host, as JSON (offline)')
    .argument('<ip|url>', 'an IPv4/IPv6 address, or a URL (a scheme is optional)')
    .option(
      '--home-country <code>',
      'home jurisdiction, ISO 3166-1 alpha-2 (default: ENRICH_HOME_COUNTRY or NL)',
    )
    .option('--country-db <path>', 'country mmdb (default: GEOIP_COUNTRY_DB, else the bundled snapshot)')
    .option('--city-db <path>', 'city mmdb (default: GEOIP_CITY_DB, else none)')
    .option(
      '--asn-db <path>',
      'ASN mmdb or ip-location-db CSV (default: GEOIP_ASN_DB, else the bundled snapshot)',
    )
    .action(async (input: string, flags: EnrichFlags) => {
      let enricher: NetworkEnricher | undefined;
      try {
        const config = loadConfig(enrichmentEnv, {
          ...process.env,
          ...(flags.homeCountry === undefined ? {} : { ENRICH_HOME_COUNTRY: flags.homeCountry }),
          ...(flags.countryDb === undefined ? {} : { GEOIP_COUNTRY_DB: flags.countryDb }),
          ...(flags.cityDb === undefined ? {} : { GEOIP_CITY_DB: flags.cityDb }),
          ...(flags.asnDb === undefined ? {} : { GEOIP_ASN_DB: flags.asnDb }),
        });
        // One lookup and exit: no file watching.
        enricher = await NetworkEnricher.open({
          ...enrichmentOptionsFromConfig(config),
          reloadIntervalMs: 0,
        });
        const enrichment =
          parseIp(input) === null
            ? enricher.enrichUrl(input, 'argument')
            : enricher.enrichIp(input, 'argument');
        if (enrichment.error === 'TRIAGE_ENRICH_INPUT_INVALID') {
          throw new TriageError(
            enrichment.error,
            'the argument is neither an IPv4/IPv6 address nor a URL with a host',
          );
        }
        if (enrichment.error !== null) {
          throw new TriageError('TRIAGE_ENRICH_DATABASE_UNREADABLE', 'a database failed during the lookup');
        }
        console.log(JSON.stringify(view(input, enricher.homeCountry, enrichment), null, 2));
      } catch (error) {
        console.log(JSON.stringify(toProblem(toTriageError(error)), null, 2));
        process.exitCode = 1;
      } finally {
        await enricher?.close();
      }
    });
}
