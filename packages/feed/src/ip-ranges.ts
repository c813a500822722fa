/**
 * Public hosting-provider (datacentre) ranges per country, for the IP capture events of the
 * synthetic feed. They are servers rented by companies, never people's connections; the
 * addresses drawn from them are invented. `asn` is the provider's autonomous system.
 * packages/enrichment's `feed-ranges.int.test.ts` checks every address of every range against
 * the offline databases (ip-location-db 2026-06): each geolocates to its country and its ASN.
 * Only /16, /18, /20 or /22 ranges: the allocator's stride of 3 must be coprime with the span.
 * OVH's 91.121.0.0/16 and 137.74.0.0/16 carry per-customer geofeed entries in other European
 * countries (NL among them), so FR draws from OVH's all-French 91.121.0.0/18 and Scaleway.
 */
export const hostingRanges = {
  NL: [
    { cidr: '95.211.0.0/16', asn: 60781, provider: 'LeaseWeb Netherlands (Amsterdam)' },
    { cidr: '85.17.0.0/16', asn: 60781, provider: 'LeaseWeb Netherlands (Amsterdam)' },
  ],
  DE: [
    { cidr: '88.198.0.0/16', asn: 24940, provider: 'Hetzner Online (Nuremberg/Falkenstein)' },
    { cidr: '136.243.0.0/16', asn: 24940, provider: 'Hetzner Online (Falkenstein)' },
  ],
  US: [
    { cidr: '104.236.0.0/16', asn: 14061, provider: 'DigitalOcean (New York/San Francisco)' },
    { cidr: '45.55.0.0/16', asn: 14061, provider: 'DigitalOcean (New York/San Francisco)' },
  ],
  GB: [
    { cidr: '178.79.128.0/18', asn: 63949, provider: 'Linode/Akamai (London)' },
    { cidr: '46.101.0.0/18', asn: 14061, provider: 'DigitalOcean (London)' },
  ],
  FR: [
    { cidr: '91.121.0.0/18', asn: 16276, provider: 'OVH (Roubaix)' },
    { cidr: '163.172.0.0/16', asn: 12876, provider: 'Scaleway (Paris)' },
  ],
} as const;

export type FeedCountry = keyof typeof hostingRanges;
export const feedCountries = Object.keys(hostingRanges) as FeedCountry[];

export interface AllocatedIp {
  readonly ipAddress: string;
  readonly country: FeedCountry;
  readonly cidr: string;
  readonly provider: string;
}

function parseCidr(cidr: string): { base: number; size: number } {
  const [address, bits] = cidr.split('/') as [string, string];
  const base = address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  return { base, size: 2 ** (32 - Number(bits)) };
}

function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * Hands out addresses that are unique within a feed (so only the repeat suspects share one),
 * spread over each country's ranges. The start offset comes from the seed so feeds differ.
 */
export class IpAllocator {
  readonly #counters = new Map<FeedCountry, number>();
  readonly #offset: number;

  constructor(seed: number) {
    this.#offset = seed % 4096;
  }

  next(country: FeedCountry): AllocatedIp {
    const count = this.#counters.get(country) ?? 0;
    this.#counters.set(country, count + 1);
    const ranges = hostingRanges[country];
    const range = ranges[count % ranges.length]!;
    const ipAddress = addressInRange(range.cidr, this.#offset + Math.floor(count / ranges.length));
    return { ipAddress, country, cidr: range.cidr, provider: range.provider };
  }
}

/**
 * The `index`-th address of a hosting range, skipping its first and last /24: distinct for every
 * index below the range's size minus 512.
 */
export function addressInRange(cidr: string, index: number): string {
  const { base, size } = parseCidr(cidr);
  // 3 is coprime with every usable span (size - 512 = 2^k * odd), so k -> 3k is a bijection.
  const span = size - 512;
  return formatIpv4(base + 256 + ((index * 3 + 1) % span));
}
