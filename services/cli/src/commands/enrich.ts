import { NetworkEnricher, parseIp } from '@triage/enrichment';
import { TriageError, toProblem, toTriageError } from '@triage/errors';
import type { NetworkEnrichment } from '@triage/schemas';
import type { Command } from 'commander';
import { addDatabaseFlags, type DatabaseFlags, offlineEnrichmentOptions } from '../enrichment-flags.ts';

interface EnrichFlags extends DatabaseFlags {
  homeCountry?: string;
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
  const command = program
    .command('enrich')
    .description('Country, city, ASN and AS organisation of an IP address or URL host, as JSON (offline)')
    .argument('<ip|url>', 'an IPv4/IPv6 address, or a URL (a scheme is optional)')
    .option(
      '--home-country <code>',
      'home jurisdiction, ISO 3166-1 alpha-2 (default: ENRICH_HOME_COUNTRY or NL)',
    );
  addDatabaseFlags(command).action(async (input: string, flags: EnrichFlags) => {
    let enricher: NetworkEnricher | undefined;
    try {
      enricher = await NetworkEnricher.open(offlineEnrichmentOptions(flags));
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
