// The synthetic feed draws IP capture events from hosting ranges it says sit in a country; the
// feed's ground truth (home jurisdiction, tiers) relies on that. Every address of every range
// must geolocate to its stated country and belong to its stated hosting ASN in the default data.
import { type FeedCountry, feedCountries, hostingRanges } from '@triage/feed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIpv4, parseDottedQuad } from './ip-address.ts';
import { inJurisdiction } from './jurisdiction.ts';
import { NetworkEnricher } from './network-enricher.ts';

let enricher: NetworkEnricher;
beforeAll(async () => {
  enricher = await NetworkEnricher.open({ homeCountry: 'NL', reloadIntervalMs: 0, clock: () => 0 });
});
afterAll(() => enricher.close());

const ranges = feedCountries.flatMap((country: FeedCountry) =>
  hostingRanges[country].map((range) => ({ country, ...range })),
);

describe('synthetic feed hosting ranges against the default databases', () => {
  it.each(ranges)(
    'given $cidr ($provider), when every address is enriched, then all are $country in AS$asn',
    (range) => {
      const [address, bits] = range.cidr.split('/') as [string, string];
      const base = parseDottedQuad(address)!;
      const size = 2 ** (32 - Number(bits));
      // Tally what the databases say, so a failure shows every answer and how often it came.
      const answers = new Map<string, number>();
      for (let host = 0; host < size; host++) {
        const enrichment = enricher.enrichIp(formatIpv4(base + host), 'feed');
        const answer = `${enrichment.countryCode} AS${enrichment.asn}`;
        answers.set(answer, (answers.get(answer) ?? 0) + 1);
      }
      expect(Object.fromEntries(answers)).toEqual({ [`${range.country} AS${range.asn}`]: size });
    },
  );

  it("given each feed country as home, when the ranges are judged, then only that country's ranges are in jurisdiction", () => {
    for (const range of ranges) {
      const { countryCode, possibleProxy } = enricher.enrichIp(
        formatIpv4(parseDottedQuad(range.cidr.split('/')[0]!)! + 256),
        'feed',
      );
      for (const home of feedCountries) {
        expect(inJurisdiction({ countryCode, possibleProxy }, home), `${home} ${range.cidr}`).toBe(
          range.country === home,
        );
      }
    }
  });
});
