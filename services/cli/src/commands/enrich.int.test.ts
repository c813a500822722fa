// triage enrich as an operator runs it: a separate process on the bundled data, its JSON and exit code.
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

// The enricher's variables come from the environment; the test sets its own.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !name.startsWith('GEOIP_') && name !== 'ENRICH_HOME_COUNTRY',
  ),
);
const triage = (...args: string[]) => runCli(args, { env });

const bundled = [
  { database: 'ip-location-db/geo-whois-asn-country', version: '2.3.2026061719' },
  { database: 'ip-location-db/asn', version: '2.3.2026061719' },
];

describe('triage enrich', () => {
  it('given an IPv4 address in a Dutch datacentre, when enriched, then country NL, a numeric ASN, the hoster and the data versions', async () => {
    const { stdout, code } = await triage('enrich', '95.211.10.20');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      ip: '95.211.10.20',
      country: 'NL',
      asn: 60781,
      asOrganization: 'LeaseWeb Netherlands B.V.',
      homeCountry: 'NL',
      inJurisdiction: true,
    });
    expect(
      result.sources.map(({ database, version }: { database: string; version: string }) => ({
        database,
        version,
      })),
    ).toEqual(bundled);
    expect(Number.isNaN(Date.parse(result.sources[0].lookedUpAt))).toBe(false);
  });

  it('given an IPv6 address and another home country, when enriched, then that country decides jurisdiction', async () => {
    const { stdout, code } = await triage('enrich', '2a01:4f8:10::1', '--home-country', 'de');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      country: 'DE',
      asn: 24940,
      homeCountry: 'DE',
      inJurisdiction: true,
    });
  });

  it('given a URL, when enriched, then host and registrable domain', async () => {
    const { stdout, code } = await triage('enrich', 'https://images.example.co.uk/a.jpg');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      subjectType: 'host',
      host: 'images.example.co.uk',
      registrableDomain: 'example.co.uk',
      country: null,
    });
  });

  it.each(['999.1.1.1', 'not-an-address', 'mailto:someone@example.com'])(
    'given %j, when enriched, then an RFC 9457 problem and exit 1',
    async (input) => {
      const { stdout, code } = await triage('enrich', input);
      expect(code).toBe(1);
      expect(JSON.parse(stdout)).toMatchObject({
        type: 'urn:triage:problem:TRIAGE_ENRICH_INPUT_INVALID',
        status: 422,
        code: 'TRIAGE_ENRICH_INPUT_INVALID',
      });
      expect(stdout).not.toMatch(/\n\s+at /);
    },
  );

  it('given a database path that does not exist, when enriched, then the unreadable-database problem and exit 1', async () => {
    const { stdout, code } = await triage(
      'enrich',
      '95.211.10.20',
      '--asn-db',
      '/nonexistent/GeoLite2-ASN.mmdb',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ code: 'TRIAGE_ENRICH_DATABASE_UNREADABLE', status: 500 });
  });

  it('given a home country that is no country, when enriched, then the configuration problem', async () => {
    const { stdout, code } = await triage('enrich', '95.211.10.20', '--home-country', 'EU');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      code: 'TRIAGE_CONFIG_INVALID',
      detail: expect.stringContaining('ENRICH_HOME_COUNTRY'),
    });
  });
});
