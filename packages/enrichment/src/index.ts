// Network enrichment: geolocation and hoster (ASN) facts for IP addresses and URL hosts.
export type { AsnAnswer, AsnTableStats } from './asn-ranges.ts';
export { AsnRangeTable } from './asn-ranges.ts';
export { type EnrichmentConfig, enrichmentEnv, enrichmentOptionsFromConfig } from './config.ts';
export type { DatabaseInfo } from './databases.ts';
export { defaultAsnDatabase, defaultCountryDatabase } from './default-data.ts';
export { defaultHomeCountry, type EnrichmentOptions } from './enrichment-options.ts';
export { canonicalIp, type ParsedIp, parseIp } from './ip-address.ts';
export { inJurisdiction, type JurisdictionFacts, pseudoCountryCodes } from './jurisdiction.ts';
export { type IpFlags, type LookupTime, NetworkEnricher } from './network-enricher.ts';
export { parseUrlHost, type UrlHost } from './url-host.ts';
