import { toTriageError } from '@triage/errors';
import type { Item, LookupSource, NetworkEnrichment, NetworkSubjectType, Report } from '@triage/schemas';
import type { AsnAnswer } from './asn-ranges.ts';
import {
  type DatabaseInfo,
  type IpDatabase,
  loadAsnDatabase,
  loadGeoMmdb,
  ReloadingDatabase,
} from './databases.ts';
import { defaultAsnDatabase, defaultCountryDatabase, publicSuffixListInfo } from './default-data.ts';
import {
  type EnrichmentOptions,
  type ResolvedEnrichmentOptions,
  resolveEnrichmentOptions,
} from './enrichment-options.ts';
import { type ParsedIp, parseIp } from './ip-address.ts';
import { inJurisdiction } from './jurisdiction.ts';
import type { GeoAnswer } from './record-shape.ts';
import { parseUrlHost } from './url-host.ts';

export interface IpFlags {
  /** The partner's possibleProxy flag on the capture event. */
  possibleProxy?: boolean | null;
  /** The time to stamp on the answer (default: the clock). */
  lookedUpAt?: number;
}

export interface LookupTime {
  /** The time to stamp on the answers (default: the clock). A stage passes the record's time so a replay writes the same answers. */
  lookedUpAt?: number;
}

const invalidInput = 'TRIAGE_ENRICH_INPUT_INVALID';

/**
 * Country, city, ASN and AS organisation of IP addresses and URL hosts, with the registrable
 * domain and the home-jurisdiction flag. Lookups are synchronous and never throw: bad input or a
 * failing database gives an enrichment whose `error` holds the code.
 */
export class NetworkEnricher {
  readonly #options: ResolvedEnrichmentOptions;
  readonly #country: IpDatabase<GeoAnswer> | null;
  readonly #city: IpDatabase<GeoAnswer> | null;
  readonly #asn: IpDatabase<AsnAnswer>;
  readonly #publicSuffixes: DatabaseInfo;
  readonly #reloading: readonly { close(): Promise<void> }[];

  private constructor(
    options: ResolvedEnrichmentOptions,
    databases: {
      country: IpDatabase<GeoAnswer> | null;
      city: IpDatabase<GeoAnswer> | null;
      asn: IpDatabase<AsnAnswer>;
    },
  ) {
    this.#options = options;
    this.#country = databases.country;
    this.#city = databases.city;
    this.#asn = databases.asn;
    this.#publicSuffixes = publicSuffixListInfo();
    this.#reloading = [databases.country, databases.city, databases.asn].flatMap((database) =>
      database instanceof ReloadingDatabase ? [database] : [],
    );
  }

  /**
   * Loads the databases: the configured files (watched for changes), else the bundled defaults.
   * A configured city database also answers the country unless a country database is configured.
   */
  static async open(options: EnrichmentOptions = {}): Promise<NetworkEnricher> {
    const resolved = resolveEnrichmentOptions(options);
    const configured = <T>(path: string, load: (path: string) => Promise<IpDatabase<T>>) =>
      load(path).then((initial) =>
        resolved.reloadIntervalMs === 0
          ? initial
          : new ReloadingDatabase(path, initial, load, {
              intervalMs: resolved.reloadIntervalMs,
              ...(resolved.onReload ? { onReload: resolved.onReload } : {}),
              ...(resolved.onReloadError ? { onReloadError: resolved.onReloadError } : {}),
            }),
      );
    const loadGeo = (path: string) => loadGeoMmdb(path);
    const loadAsn = (path: string) => loadAsnDatabase([path]);
    const [country, city, asn] = await Promise.all([
      resolved.countryDb !== undefined
        ? configured(resolved.countryDb, loadGeo)
        : resolved.cityDb !== undefined
          ? null
          : defaultGeo(),
      resolved.cityDb === undefined ? null : configured(resolved.cityDb, loadGeo),
      resolved.asnDb === undefined ? defaultAsn() : configured(resolved.asnDb, loadAsn),
    ]);
    return new NetworkEnricher(resolved, { country, city, asn });
  }

  get homeCountry(): string {
    return this.#options.homeCountry;
  }

  /** The databases answering now (versions change when a configured file is reloaded). */
  get databases(): readonly DatabaseInfo[] {
    return [this.#country, this.#city, this.#asn]
      .filter((database) => database !== null)
      .map((database) => database.info)
      .concat(this.#publicSuffixes);
  }

  enrichIp(ip: string, origin: string, flags: IpFlags = {}): NetworkEnrichment {
    const at = flags.lookedUpAt ?? this.#options.clock();
    const parsed = parseIp(ip);
    if (parsed === null) return failed('ip', origin, invalidInput);
    return this.#lookUp(parsed, origin, 'ip', flags.possibleProxy ?? null, at);
  }

  enrichUrl(url: string, origin: string, time: LookupTime = {}): NetworkEnrichment {
    const at = time.lookedUpAt ?? this.#options.clock();
    const parsed = parseUrlHost(url);
    if (parsed === null) return failed('host', origin, invalidInput);
    if (parsed.ip !== null) return this.#lookUp(parsed.ip, origin, 'host', null, at);
    return {
      ...blank('host', origin),
      host: parsed.host,
      registrableDomain: parsed.registrableDomain,
      sources: [source(this.#publicSuffixes, at)],
    };
  }

  /** The upload IP event, the reported URL and the file's location URL, in that order. */
  enrichItem(item: Item, time: LookupTime = {}): NetworkEnrichment[] {
    const at = time.lookedUpAt ?? this.#options.clock();
    const enrichments: NetworkEnrichment[] = [];
    const event = item.uploadIpEvent;
    if (event !== null) {
      enrichments.push(
        this.enrichIp(event.ipAddress, 'item.uploadIpEvent', {
          possibleProxy: event.possibleProxy,
          lookedUpAt: at,
        }),
      );
    }
    if (item.url !== null) enrichments.push(this.enrichUrl(item.url, 'item.url', { lookedUpAt: at }));
    if (item.locationOfFile !== null) {
      enrichments.push(this.enrichUrl(item.locationOfFile, 'item.locationOfFile', { lookedUpAt: at }));
    }
    return enrichments;
  }

  /**
   * The reported persons' IP capture events and profile URLs, then the internet details' URLs
   * and IP capture events, each with its origin (`report.personsReported[0].ipCaptureEvents[1]`).
   */
  enrichReport(report: Report, time: LookupTime = {}): NetworkEnrichment[] {
    const at = time.lookedUpAt ?? this.#options.clock();
    const enrichments: NetworkEnrichment[] = [];
    report.personsReported.forEach((person, p) => {
      person.ipCaptureEvents.forEach((event, e) => {
        enrichments.push(
          this.enrichIp(event.ipAddress, `report.personsReported[${p}].ipCaptureEvents[${e}]`, {
            possibleProxy: event.possibleProxy,
            lookedUpAt: at,
          }),
        );
      });
      person.profileUrls.forEach((url, u) => {
        enrichments.push(
          this.enrichUrl(url, `report.personsReported[${p}].profileUrls[${u}]`, { lookedUpAt: at }),
        );
      });
    });
    report.internetDetails.forEach((detail, d) => {
      detail.urls.forEach((url, u) => {
        enrichments.push(this.enrichUrl(url, `report.internetDetails[${d}].urls[${u}]`, { lookedUpAt: at }));
      });
      detail.ipCaptureEvents.forEach((event, e) => {
        enrichments.push(
          this.enrichIp(event.ipAddress, `report.internetDetails[${d}].ipCaptureEvents[${e}]`, {
            possibleProxy: event.possibleProxy,
            lookedUpAt: at,
          }),
        );
      });
    });
    return enrichments;
  }

  /** Stops watching the configured files (after any reload in progress). */
  async close(): Promise<void> {
    await Promise.all(this.#reloading.map((database) => database.close()));
  }

  #lookUp(
    ip: ParsedIp,
    origin: string,
    subjectType: NetworkSubjectType,
    partnerProxy: boolean | null,
    at: number,
  ): NetworkEnrichment {
    try {
      const country = this.#country?.lookup(ip) ?? null;
      const city = this.#city?.lookup(ip) ?? null;
      const asn = this.#asn.lookup(ip);
      const countryCode = country?.countryCode ?? city?.countryCode ?? null;
      const databaseProxy = country?.anonymousProxy === true || city?.anonymousProxy === true;
      const satelliteProvider = country?.satelliteProvider === true || city?.satelliteProvider === true;
      const possibleProxy = partnerProxy === true || databaseProxy ? true : partnerProxy;
      return {
        ...blank(subjectType, origin),
        ip: ip.text,
        host: subjectType === 'host' ? ip.text : null,
        countryCode,
        city: city?.city ?? null,
        asn: asn?.asn ?? null,
        asOrganization: asn?.organization ?? null,
        inJurisdiction: inJurisdiction(
          { countryCode, possibleProxy, satelliteProvider },
          this.#options.homeCountry,
        ),
        possibleProxy,
        sources: [this.#country, this.#city, this.#asn]
          .filter((database) => database !== null)
          .map((database) => source(database.info, at)),
      };
    } catch (error) {
      // A database that fails mid-lookup (a corrupt file) flags the entry instead of failing the item.
      return failed(subjectType, origin, toTriageError(error, 'TRIAGE_ENRICH_DATABASE_UNREADABLE').code);
    }
  }
}

async function defaultGeo(): Promise<IpDatabase<GeoAnswer>> {
  const data = defaultCountryDatabase();
  return loadGeoMmdb(data.paths[0]!, data.info);
}

async function defaultAsn(): Promise<IpDatabase<AsnAnswer>> {
  const data = defaultAsnDatabase();
  return loadAsnDatabase(data.paths, data.info);
}

function source(info: DatabaseInfo, at: number): LookupSource {
  return { database: info.name, version: info.version, lookedUpAt: at };
}

function blank(subjectType: NetworkSubjectType, origin: string): NetworkEnrichment {
  return {
    subjectType,
    origin,
    ip: null,
    host: null,
    registrableDomain: null,
    countryCode: null,
    city: null,
    asn: null,
    asOrganization: null,
    inJurisdiction: null,
    possibleProxy: null,
    sources: [],
    error: null,
  };
}

function failed(subjectType: NetworkSubjectType, origin: string, code: string): NetworkEnrichment {
  return { ...blank(subjectType, origin), error: code };
}
