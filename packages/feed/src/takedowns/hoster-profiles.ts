// How each hosting network of the feed answers notices: invented behaviour, chosen so that the
// ranking is interesting (fast and slow removers, one that often never acts), never a statement
// about the real companies whose public ranges the feed draws addresses from.
import { type FeedCountry, hostingRanges } from '../ip-ranges.ts';

const HOUR = 3_600_000;

interface RemovalBehaviour {
  /** Median of the log-normal removal delay after a notice. */
  readonly medianMs: number;
  /** Its sigma (spread of the log): 1.2 puts about 1 in 10 removals past 4.7x the median. */
  readonly sigma: number;
  /** Share of notices the hoster never acts on (online, right-censored). */
  readonly never: number;
  /** Share where the content moves to another URL before removal. */
  readonly moved: number;
  /** Share of removed content that comes back on this network. */
  readonly reappears: number;
  /** Brand for hints and contact domains. */
  readonly brand: string;
}

/** Per ASN: the networks of `hostingRanges`. */
const behaviourByAsn: Record<number, RemovalBehaviour> = {
  60781: { medianMs: 3 * HOUR, sigma: 1.2, never: 0.02, moved: 0.03, reappears: 0.06, brand: 'leaseweb' },
  24940: { medianMs: 6 * HOUR, sigma: 1.0, never: 0.03, moved: 0.05, reappears: 0.04, brand: 'hetzner' },
  14061: {
    medianMs: 16 * HOUR,
    sigma: 1.3,
    never: 0.06,
    moved: 0.06,
    reappears: 0.08,
    brand: 'digitalocean',
  },
  63949: { medianMs: 26 * HOUR, sigma: 1.1, never: 0.08, moved: 0.04, reappears: 0.1, brand: 'linode' },
  16276: { medianMs: 40 * HOUR, sigma: 1.5, never: 0.15, moved: 0.08, reappears: 0.12, brand: 'ovh' },
  12876: { medianMs: 10 * HOUR, sigma: 0.9, never: 0.04, moved: 0.05, reappears: 0.05, brand: 'scaleway' },
};

/** Share of notices per range (Dutch hotlines see much Dutch and German hosting). */
const weightByCidr: Record<string, number> = {
  '95.211.0.0/16': 18,
  '85.17.0.0/16': 12,
  '88.198.0.0/16': 10,
  '136.243.0.0/16': 8,
  '104.236.0.0/16': 8,
  '45.55.0.0/16': 6,
  '178.79.128.0/18': 8,
  '46.101.0.0/18': 5,
  '91.121.0.0/18': 15,
  '163.172.0.0/16': 10,
};

export interface HostingRange {
  readonly country: FeedCountry;
  readonly cidr: string;
  readonly asn: number;
  readonly provider: string;
  readonly weight: number;
  readonly behaviour: RemovalBehaviour;
}

/** Every feed hosting range with its weight and its network's behaviour. */
export const takedownRanges: readonly HostingRange[] = (Object.keys(hostingRanges) as FeedCountry[]).flatMap(
  (country) =>
    hostingRanges[country].map((range) => {
      const behaviour = behaviourByAsn[range.asn];
      const weight = weightByCidr[range.cidr];
      if (!behaviour || weight === undefined) throw new Error(`takedown profile missing for ${range.cidr}`);
      return { country, cidr: range.cidr, asn: range.asn, provider: range.provider, weight, behaviour };
    }),
);
