// The reported people of a feed: personas (a suspect's identifiers, reused across the reports of a
// repeat suspect), how one report shows a persona, and the IP addresses they are seen from.
import { type AllocatedIp, type FeedCountry, IpAllocator } from '../ip-ranges.ts';
import { deriveSeed, type Random, randomHex } from '../random.ts';
import type { IpEvent, PlannedPerson } from '../types.ts';
import { adjectives, cities, nouns } from '../vocabulary.ts';
import type { FileDraft } from './drafts.ts';
import { DAY, isoSeconds } from './timestamps.ts';

/** A suspect's identifiers, reused across reports for repeat suspects. */
export interface Persona {
  readonly screenName: string;
  readonly email: string;
  readonly espIdentifier: string;
  readonly device: { idType: string; idValue: string };
  readonly ips: readonly AllocatedIp[];
  /** An address flagged as a possible proxy (in the home country, so only the flag keeps it out). */
  readonly proxyIp: AllocatedIp | null;
  readonly location: { countryCode: FeedCountry; city: string } | null;
}

export interface SuspectsOptions {
  /** The planner's stream. */
  readonly random: Random;
  readonly seed: number;
  readonly homeCountry: FeedCountry;
  /** The feed's "now". */
  readonly asOfMs: number;
}

export class Suspects {
  readonly #random: Random;
  readonly #seed: number;
  readonly #homeCountry: FeedCountry;
  readonly #asOfMs: number;
  readonly #ips: IpAllocator;
  /** Every address handed out, in order. */
  readonly ipAddresses: AllocatedIp[] = [];
  #personaCount = 0;

  constructor(options: SuspectsOptions) {
    this.#random = options.random;
    this.#seed = options.seed;
    this.#homeCountry = options.homeCountry;
    this.#asOfMs = options.asOfMs;
    this.#ips = new IpAllocator(options.seed);
  }

  /** A new screen name, unique within the feed (persona counter plus the seed). */
  screenName(): string {
    const r = this.#random;
    this.#personaCount++;
    return `${r.pick(adjectives)}_${r.pick(nouns)}_${(this.#seed % 1000) * 10_000 + this.#personaCount}`;
  }

  persona(country: FeedCountry, options: { proxyInHome?: boolean } = {}): Persona {
    const r = this.#random;
    const screenName = this.screenName();
    const ips = Array.from({ length: r.int(1, 2) }, () => this.#allocate(country));
    return {
      screenName,
      email: `${screenName.replaceAll('_', '.')}@${r.pick(['example.com', 'example.org'])}`,
      espIdentifier: `u${String(deriveSeed(this.#seed, 'esp', this.#personaCount)).padStart(10, '0')}`,
      device: {
        idType: r.pick(['IDFA', 'GAID']),
        idValue: `${randomHex(r, 8)}-${randomHex(r, 4)}-${randomHex(r, 4)}-${randomHex(r, 4)}-${randomHex(r, 12)}`,
      },
      ips,
      proxyIp:
        options.proxyInHome && country !== this.#homeCountry ? this.#allocate(this.#homeCountry) : null,
      location: r.chance(0.85) ? { countryCode: country, city: r.pick(cities[country]) } : null,
    };
  }

  /**
   * The reported person as one report shows it. `some` keeps a random part of the identifiers
   * (at least the e-mail or the user id), as reports about the same user rarely list everything.
   */
  person(persona: Persona, priorCTReports: string[], identifiers: 'all' | 'some' = 'all'): PlannedPerson {
    const r = this.#random;
    const keep = (probability: number) => identifiers === 'all' || r.chance(probability);
    const keepEmail = keep(0.6);
    const events: IpEvent[] = [];
    const eventTime = this.#asOfMs - r.int(1, 25) * DAY;
    for (const ip of persona.ips) {
      if (!keep(0.6) && events.length > 0) continue;
      events.push(
        this.ipEvent(ip, r.pick(['Login', 'Login', 'Registration', 'Other'] as const), eventTime, false),
      );
    }
    if (persona.proxyIp !== null) events.push(this.ipEvent(persona.proxyIp, 'Login', eventTime, true));
    return {
      screenName: persona.screenName,
      emails: keepEmail ? [persona.email] : [],
      phones: [],
      espIdentifier: persona.espIdentifier,
      espService: 'Main account',
      ipCaptureEvents: events,
      deviceIds: keep(0.5) ? [persona.device] : [],
      priorCTReports,
      estimatedLocation: persona.location,
    };
  }

  /** An event at `ip` within three days after `aroundMs`. */
  ipEvent(
    ip: AllocatedIp,
    eventName: IpEvent['eventName'],
    aroundMs: number,
    possibleProxy: boolean,
  ): IpEvent {
    const r = this.#random;
    return {
      ipAddress: ip.ipAddress,
      eventName,
      dateTime: isoSeconds(aroundMs + r.int(0, 72 * 3600) * 1000),
      possibleProxy,
      port: r.int(1024, 65535),
    };
  }

  /** Half of the files get the persona's first address as their upload IP. */
  withUploadIp(files: FileDraft[], persona: Persona): FileDraft[] {
    return files.map((file) => ({ ...file, uploadIp: this.#random.chance(0.5) ? persona.ips[0]! : null }));
  }

  #allocate(country: FeedCountry): AllocatedIp {
    const ip = this.#ips.next(country);
    this.ipAddresses.push(ip);
    return ip;
  }
}
