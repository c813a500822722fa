// The enricher on real database files: the bundled ip-location-db data, and MaxMind-format files
// (nested GeoIP2 shape and flat ip-location-db shape) written by the test, replaced while open.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TriageError } from '@triage/errors';
import { type Item, type Report, recordExamples } from '@triage/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseInfo } from './databases.ts';
import { NetworkEnricher } from './network-enricher.ts';
import { writeMmdb } from './testing/mmdb-writer.ts';

const at = Date.UTC(2026, 10, 1, 12);
const bundled = [
  { name: 'ip-location-db/geo-whois-asn-country', version: '2.3.2026061719' },
  { name: 'ip-location-db/asn', version: '2.3.2026061719' },
];

describe('NetworkEnricher on the bundled ip-location-db data', () => {
  let enricher: NetworkEnricher;
  beforeAll(async () => {
    enricher = await NetworkEnricher.open({ homeCountry: 'NL', clock: () => at });
  });
  afterAll(() => enricher.close());

  it('given a LeaseWeb Amsterdam address, when enriched, then NL, AS60781 and in jurisdiction, stamped with both databases', () => {
    expect(enricher.enrichIp('95.211.10.20', 'test')).toEqual({
      subjectType: 'ip',
      origin: 'test',
      ip: '95.211.10.20',
      host: null,
      registrableDomain: null,
      countryCode: 'NL',
      city: null,
      asn: 60781,
      asOrganization: 'LeaseWeb Netherlands B.V.',
      inJurisdiction: true,
      possibleProxy: null,
      sources: bundled.map(({ name, version }) => ({ database: name, version, lookedUpAt: at })),
      error: null,
    });
  });

  it('given a Hetzner IPv6 address, when enriched, then DE, AS24940, not in jurisdiction', () => {
    expect(enricher.enrichIp('2a01:4f8:0:a0a1::2', 'test')).toMatchObject({
      ip: '2a01:4f8:0:a0a1::2',
      countryCode: 'DE',
      asn: 24940,
      asOrganization: 'Hetzner Online GmbH',
      inJurisdiction: false,
    });
  });

  it('given a home address the partner flagged as a possible proxy, when enriched, then the flag is carried and it does not count', () => {
    expect(enricher.enrichIp('85.17.1.1', 'test', { possibleProxy: true })).toMatchObject({
      countryCode: 'NL',
      possibleProxy: true,
      inJurisdiction: false,
    });
  });

  it('given private and documentation addresses, when enriched, then no answer and no error', () => {
    for (const ip of ['10.1.2.3', '192.0.2.1', 'fd00::1']) {
      expect(enricher.enrichIp(ip, 'test'), ip).toMatchObject({
        ip,
        countryCode: null,
        asn: null,
        inJurisdiction: null,
        error: null,
      });
    }
  });

  it('given bad IPs and URLs, when enriched, then entries flagged TRIAGE_ENRICH_INPUT_INVALID, nothing thrown', () => {
    for (const ip of ['', 'not-an-ip', '999.1.1.1', '1.2.3']) {
      expect(enricher.enrichIp(ip, 'o')).toMatchObject({
        subjectType: 'ip',
        ip: null,
        error: 'TRIAGE_ENRICH_INPUT_INVALID',
      });
    }
    for (const url of ['', 'mailto:x@example.com', 'http://exa mple.com/']) {
      expect(enricher.enrichUrl(url, 'o')).toMatchObject({
        subjectType: 'host',
        host: null,
        error: 'TRIAGE_ENRICH_INPUT_INVALID',
      });
    }
  });

  it('given a URL with a domain host, when enriched, then host and registrable domain from the public suffix list, no geolocation', () => {
    const enrichment = enricher.enrichUrl('https://images.Example.co.uk/a/b.jpg', 'item.url');
    expect(enrichment).toMatchObject({
      subjectType: 'host',
      host: 'images.example.co.uk',
      registrableDomain: 'example.co.uk',
      ip: null,
      countryCode: null,
      asn: null,
    });
    expect(enrichment.sources).toEqual([
      { database: 'public-suffix-list', version: 'tldts@7.5.4', lookedUpAt: at },
    ]);
  });

  it('given a URL whose host is an IP literal, when enriched, then that address is geolocated (no DNS)', () => {
    expect(enricher.enrichUrl('http://[2a01:4f8::5]:8080/x', 'item.url')).toMatchObject({
      subjectType: 'host',
      host: '2a01:4f8::5',
      ip: '2a01:4f8::5',
      countryCode: 'DE',
      asn: 24940,
    });
  });

  it('given an item with an upload IP, a URL and a file location, when enriched, then one entry each, in order, with the record time', () => {
    const item: Item = {
      ...recordExamples.Item,
      url: 'https://hosting.example.invalid/page',
      locationOfFile: 'http://95.211.1.2/f.jpg',
      uploadIpEvent: {
        ipAddress: '88.198.7.7',
        eventName: 'Upload',
        dateTime: null,
        possibleProxy: false,
        port: null,
      },
    };
    const enrichments = enricher.enrichItem(item, { lookedUpAt: item.receivedAt });
    expect(
      enrichments.map(({ origin, countryCode, host, possibleProxy }) => ({
        origin,
        countryCode,
        host,
        possibleProxy,
      })),
    ).toEqual([
      { origin: 'item.uploadIpEvent', countryCode: 'DE', host: null, possibleProxy: false },
      { origin: 'item.url', countryCode: null, host: 'hosting.example.invalid', possibleProxy: null },
      { origin: 'item.locationOfFile', countryCode: 'NL', host: '95.211.1.2', possibleProxy: null },
    ]);
    expect(new Set(enrichments.flatMap((each) => each.sources.map((source) => source.lookedUpAt)))).toEqual(
      new Set([item.receivedAt]),
    );
  });

  it('given a report, when enriched, then every person IP event and profile URL and every incident URL, named by origin', () => {
    const example = recordExamples.Report;
    const report: Report = {
      ...example,
      internetDetails: [
        {
          ...example.internetDetails[0]!,
          urls: ['https://a.example.org/1', 'not a url'],
          ipCaptureEvents: [],
        },
      ],
    };
    const origins = enricher.enrichReport(report).map((each) => [each.origin, each.error]);
    const person = example.personsReported[0]!;
    expect(origins).toEqual([
      ...person.ipCaptureEvents.map((_, e) => [`report.personsReported[0].ipCaptureEvents[${e}]`, null]),
      ...person.profileUrls.map((_, u) => [`report.personsReported[0].profileUrls[${u}]`, null]),
      ['report.internetDetails[0].urls[0]', null],
      ['report.internetDetails[0].urls[1]', 'TRIAGE_ENRICH_INPUT_INVALID'],
    ]);
  });

  it('given the same input twice at the same record time, when enriched, then identical answers', () => {
    const item: Item = {
      ...recordExamples.Item,
      uploadIpEvent: {
        ipAddress: '45.55.1.1',
        eventName: 'Upload',
        dateTime: null,
        possibleProxy: null,
        port: null,
      },
    };
    expect(enricher.enrichItem(item, { lookedUpAt: 7 })).toEqual(
      enricher.enrichItem(item, { lookedUpAt: 7 }),
    );
  });

  it('given the bundled data, when its databases are listed, then names and package versions', () => {
    expect(enricher.databases).toEqual([...bundled, { name: 'public-suffix-list', version: 'tldts@7.5.4' }]);
  });
});

/** MaxMind's nested GeoIP2 City shape, for synthetic documentation networks. */
function geoip2City(iso: string, city: string, traits: Record<string, boolean> = {}) {
  return {
    city: { geoname_id: 1, names: { en: city } },
    continent: { code: 'EU', names: { en: 'Europe' } },
    country: { iso_code: iso, names: { en: iso } },
    registered_country: { iso_code: 'US', names: { en: 'United States' } },
    traits,
  };
}

describe('NetworkEnricher on production-style database files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'enrichment-test-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, bytes: Buffer | string) => {
    const target = path.join(dir, name);
    await writeFile(target, bytes);
    return target;
  };

  it('given a GeoIP2 City and a GeoLite2 ASN file, when enriched, then the nested records answer with their metadata as source', async () => {
    const cityDb = await file(
      'GeoIP2-City.mmdb',
      writeMmdb({
        databaseType: 'GeoIP2-City',
        buildEpoch: 1_790_000_000,
        networks: [
          { cidr: '192.0.2.0/24', record: geoip2City('NL', 'Amsterdam') },
          {
            cidr: '198.51.100.0/24',
            record: { ...geoip2City('NL', 'Rotterdam', { is_anonymous_proxy: true }) },
          },
          { cidr: '2001:db8::/32', record: geoip2City('DE', 'Berlin') },
        ],
      }),
    );
    const asnDb = await file(
      'GeoLite2-ASN.mmdb',
      writeMmdb({
        databaseType: 'GeoLite2-ASN',
        buildEpoch: 1_790_000_100,
        networks: [
          {
            cidr: '192.0.2.0/24',
            record: {
              autonomous_system_number: 64500,
              autonomous_system_organization: 'Example Hosting B.V.',
            },
          },
        ],
      }),
    );
    const enricher = await NetworkEnricher.open({ cityDb, asnDb, reloadIntervalMs: 0, clock: () => at });
    try {
      expect(enricher.databases).toEqual([
        { name: 'GeoIP2-City', version: '2026-09-21T14:13:20.000Z' },
        { name: 'GeoLite2-ASN', version: '2026-09-21T14:15:00.000Z' },
        { name: 'public-suffix-list', version: 'tldts@7.5.4' },
      ]);
      expect(enricher.enrichIp('192.0.2.44', 'o')).toMatchObject({
        countryCode: 'NL',
        city: 'Amsterdam',
        asn: 64500,
        asOrganization: 'Example Hosting B.V.',
        inJurisdiction: true,
        possibleProxy: null,
        sources: [
          { database: 'GeoIP2-City', version: '2026-09-21T14:13:20.000Z', lookedUpAt: at },
          { database: 'GeoLite2-ASN', version: '2026-09-21T14:15:00.000Z', lookedUpAt: at },
        ],
      });
      // The database's anonymous-proxy trait flags the address even when the partner said no.
      expect(enricher.enrichIp('198.51.100.9', 'o', { possibleProxy: false })).toMatchObject({
        countryCode: 'NL',
        city: 'Rotterdam',
        possibleProxy: true,
        inJurisdiction: false,
      });
      expect(enricher.enrichIp('2001:db8:1::1', 'o')).toMatchObject({
        countryCode: 'DE',
        city: 'Berlin',
        asn: null,
      });
    } finally {
      await enricher.close();
    }
  });

  it('given a flat ip-location-db city file, a country file and an ASN CSV by path, when enriched, then each answers its part', async () => {
    const countryDb = await file(
      'country.mmdb',
      writeMmdb({
        databaseType: 'country ipvAll',
        buildEpoch: 1_780_000_000,
        networks: [{ cidr: '203.0.113.0/24', record: { country_code: 'FR' } }],
      }),
    );
    const cityDb = await file(
      'city.mmdb',
      writeMmdb({
        databaseType: 'geolite2-city',
        buildEpoch: 1_780_000_000,
        networks: [
          {
            cidr: '203.0.113.0/24',
            record: { city: 'Roubaix', country_code: 'BE', state1: 'Hauts-de-France' },
          },
        ],
      }),
    );
    const asnDb = await file('asn.csv', '203.0.113.0,203.0.113.255,64501,"Example Cloud, SAS"\n');
    const enricher = await NetworkEnricher.open({
      homeCountry: 'fr',
      countryDb,
      cityDb,
      asnDb,
      reloadIntervalMs: 0,
    });
    try {
      expect(enricher.enrichIp('203.0.113.5', 'o')).toMatchObject({
        countryCode: 'FR',
        city: 'Roubaix',
        asn: 64501,
        asOrganization: 'Example Cloud, SAS',
        inJurisdiction: true,
      });
      expect(enricher.databases[2]).toEqual({
        name: 'csv:asn.csv',
        version: expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
      });
    } finally {
      await enricher.close();
    }
  });

  it('given a configured file replaced while open, when the new file is complete, then lookups answer from it; a broken file leaves them as they were', async () => {
    const countryOf = (iso: string, buildEpoch: number) =>
      writeMmdb({
        databaseType: 'GeoLite2-Country',
        buildEpoch,
        networks: [{ cidr: '192.0.2.0/24', record: { country: { iso_code: iso } } }],
      });
    const countryDb = await file('GeoLite2-Country.mmdb', countryOf('NL', 1_780_000_000));
    const reloads: DatabaseInfo[] = [];
    const failures: TriageError[] = [];
    let notify: () => void = () => undefined;
    const event = () => new Promise<void>((resolve) => (notify = resolve));
    const enricher = await NetworkEnricher.open({
      countryDb,
      reloadIntervalMs: 20,
      onReload: (info) => {
        reloads.push(info);
        notify();
      },
      onReloadError: (error) => {
        failures.push(error);
        notify();
      },
    });
    try {
      expect(enricher.enrichIp('192.0.2.1', 'o')).toMatchObject({ countryCode: 'NL', inJurisdiction: true });

      // Operators write the new file next to the old one and rename it into place.
      let next = event();
      await writeFile(path.join(dir, 'next.mmdb'), countryOf('DE', 1_790_000_000));
      await rename(path.join(dir, 'next.mmdb'), countryDb);
      await next;
      expect(reloads).toEqual([{ name: 'GeoLite2-Country', version: '2026-09-21T14:13:20.000Z' }]);
      expect(enricher.enrichIp('192.0.2.1', 'o')).toMatchObject({
        countryCode: 'DE',
        inJurisdiction: false,
        sources: expect.arrayContaining([
          expect.objectContaining({ database: 'GeoLite2-Country', version: '2026-09-21T14:13:20.000Z' }),
        ]),
      });

      next = event();
      await writeFile(countryDb, 'not a database');
      await next;
      // (Writing in place may be seen half-done and again complete: one failure or two, never a swap.)
      expect(failures.length).toBeGreaterThan(0);
      expect(new Set(failures.map((error) => error.code))).toEqual(
        new Set(['TRIAGE_ENRICH_DATABASE_UNREADABLE']),
      );
      expect(enricher.enrichIp('192.0.2.1', 'o').countryCode).toBe('DE');
      expect(enricher.databases[0]?.version).toBe('2026-09-21T14:13:20.000Z');
    } finally {
      await enricher.close();
    }
  });

  it('given a missing or wrong database file, when opened, then it refuses to start with the path named', async () => {
    await expect(NetworkEnricher.open({ countryDb: path.join(dir, 'missing.mmdb') })).rejects.toMatchObject({
      code: 'TRIAGE_ENRICH_DATABASE_UNREADABLE',
      message: expect.stringContaining('missing.mmdb'),
    });
    const csv = await file('not-mmdb.csv', '1.0.0.0,1.0.0.255,13335,Example\n');
    await expect(NetworkEnricher.open({ cityDb: csv })).rejects.toMatchObject({
      code: 'TRIAGE_ENRICH_DATABASE_UNREADABLE',
    });
    const badCsv = await file('bad-asn.csv', 'this,is,not,ranges\n');
    await expect(NetworkEnricher.open({ asnDb: badCsv })).rejects.toMatchObject({
      code: 'TRIAGE_ENRICH_DATABASE_UNREADABLE',
    });
  });

  it('given a home country that is no ISO code, when opened, then a configuration error', async () => {
    for (const homeCountry of ['Netherlands', 'EU', 'A1', '']) {
      await expect(NetworkEnricher.open({ homeCountry }), homeCountry).rejects.toMatchObject({
        code: 'TRIAGE_CONFIG_INVALID',
      });
    }
  });
});
