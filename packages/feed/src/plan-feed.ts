// The pure half of the feed generator: seed and options in, the whole story of the feed out
// (partners, reports, which media each file carries, bundles). No image is drawn here.

import { type AllocatedIp, type FeedCountry, feedCountries, IpAllocator } from './ip-ranges.ts';
import { createRandom, deriveSeed, type Random } from './random.ts';
import { type NearDuplicateEdit, nearDuplicateEdits } from './synthetic-images.ts';
import type { Tier } from './tiers.ts';
import type {
  FeedFamily,
  FeedPartner,
  FeedPlan,
  IncidentTypeText,
  IpEvent,
  MediaSpec,
  PlannedBundle,
  PlannedFile,
  PlannedMedia,
  PlannedPerson,
  PlannedReport,
  ScenarioName,
} from './types.ts';
import {
  adjectives,
  cities,
  contactNames,
  type Esp,
  escalationTexts,
  esps,
  hotlineEsp,
  memeCaptions,
  nouns,
  sextortionEscalationTexts,
} from './vocabulary.ts';

export interface PlanOptions {
  readonly seed: number;
  /** Number of reports in the feed. */
  readonly reports: number;
  /** Most files one report may carry (batched viral reports go up to thousands). */
  readonly maxFiles: number;
  /** Reports per JSON bundle (one partner per bundle). */
  readonly reportsPerBundle: number;
  /** The country whose police the feed is for (jurisdiction facts). */
  readonly homeCountry: FeedCountry;
}

const partners: readonly FeedPartner[] = [
  {
    partnerId: 'tipline-nl',
    name: 'Example National Tipline (relays NCMEC CyberTipline reports)',
    kind: 'tipline',
  },
  { partnerId: 'hotline-nl', name: 'Example Hotline', kind: 'hotline' },
  { partnerId: 'platform-social', name: 'Example Social (reports directly)', kind: 'platform' },
];

const reportIdBase: Record<FeedPartner['kind'], number> = {
  tipline: 100_000_000,
  hotline: 300_000_000,
  platform: 500_000_000,
};

const DAY = 86_400_000;
const edits = Object.keys(nearDuplicateEdits) as NearDuplicateEdit[];
const productionAnnotations = ['possibleSelfProduction', 'liveStreaming', 'infant', 'physicalHarm'] as const;
const victimRiskIncidents: IncidentTypeText[] = [
  'Online Enticement of Children for Sexual Acts',
  'Child Sex Trafficking',
  'Child Sexual Molestation',
];
const CSAM: IncidentTypeText = 'Child Pornography (possession, manufacture, and distribution)';
const ENTICEMENT: IncidentTypeText = 'Online Enticement of Children for Sexual Acts';

/** A suspect's identifiers, reused across reports for repeat suspects. */
interface Persona {
  readonly screenName: string;
  readonly email: string;
  readonly espIdentifier: string;
  readonly device: { idType: string; idValue: string };
  readonly ips: readonly AllocatedIp[];
  /** An address flagged as a possible proxy (in the home country, so only the flag keeps it out). */
  readonly proxyIp: AllocatedIp | null;
  readonly location: { countryCode: FeedCountry; city: string } | null;
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function hex(random: Random, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(random.next() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return out.slice(0, length);
}

interface ReportDraft {
  readonly partner: FeedPartner;
  readonly scenario: ScenarioName;
  readonly tier: Tier;
  readonly esp: Esp;
  readonly incidentType: IncidentTypeText;
  readonly incidentMs: number;
  readonly escalation?: string | null;
  readonly annotations?: readonly string[];
  readonly batched?: boolean;
  readonly persons: readonly PlannedPerson[];
  readonly victims?: readonly { age: number }[];
  readonly recipients?: readonly { age: number; screenName: string }[];
  readonly urls?: readonly string[];
  readonly files: readonly FileDraft[];
}

interface FileDraft {
  readonly mediaKey: string;
  readonly annotations?: readonly string[];
  readonly classification?: PlannedFile['industryClassification'];
  /** The uploader's address, when the company captured it. */
  readonly uploadIp?: AllocatedIp | null;
}

class FeedPlanner {
  readonly #options: PlanOptions;
  readonly #random: Random;
  readonly #ips: IpAllocator;
  readonly #asOfMs: number;
  readonly #media = new Map<string, PlannedMedia>();
  readonly #families: FeedFamily[] = [];
  readonly #reports: PlannedReport[] = [];
  readonly #ipAddresses: AllocatedIp[] = [];
  readonly #reportCounters = new Map<string, number>();
  readonly #knownPool: string[] = [];
  readonly #memes: string[] = [];
  readonly #knownFamilies: FeedFamily[] = [];
  readonly #memeFamilies: FeedFamily[] = [];
  #freshCount = 0;
  #personaCount = 0;
  #textCount = 0;
  #fileNameCount = 0;

  constructor(options: PlanOptions) {
    this.#options = options;
    this.#random = createRandom(deriveSeed(options.seed, 'plan'));
    this.#ips = new IpAllocator(options.seed);
    // A fixed "now" per seed: the feed's timestamps never depend on the clock.
    this.#asOfMs = Date.UTC(2026, 10, 28, 12) - (options.seed % 90) * DAY;
    const scale = options.reports;
    for (let index = 0; index < Math.min(40, Math.max(4, Math.ceil(scale / 8))); index++) {
      this.#knownPool.push(this.#addShapes('known-pool', `known-${index}`, this.#smallSize(), null, 1));
    }
    for (let index = 0; index < Math.min(20, Math.max(3, Math.ceil(scale / 20))); index++) {
      const caption = memeCaptions[index % memeCaptions.length]!;
      this.#memes.push(this.#addShapes('meme', `meme-${index}`, this.#memeSize(), caption, 2));
    }
    for (let index = 0; index < Math.min(12, Math.max(2, Math.ceil(scale / 25))); index++) {
      this.#knownFamilies.push(this.#addFamily(null, 1));
    }
    for (let index = 0; index < Math.min(6, Math.max(1, Math.ceil(scale / 50))); index++) {
      this.#memeFamilies.push(this.#addFamily(memeCaptions[(index + 3) % memeCaptions.length]!, 2));
    }
  }

  plan(): FeedPlan {
    const scenarios: [ScenarioName, number][] = [
      ['enticement-escalated', 5],
      ['sextortion-escalated', 4],
      ['new-production-home', 9],
      ['victim-risk-abroad', 5],
      ['repeat-suspect-chain', 5],
      ['known-distribution-home', 14],
      ['new-content-abroad', 12],
      ['near-duplicate-cluster', 5],
      ['hotline-known-url', 8],
      ['hotline-new-url', 5],
      ['viral-batched', 14],
      ['informational-referral', 7],
    ];
    const total = scenarios.reduce((sum, [, weight]) => sum + weight, 0);
    while (this.#reports.length < this.#options.reports) {
      const remaining = this.#options.reports - this.#reports.length;
      let draw = this.#random.next() * total;
      let scenario: ScenarioName = scenarios[0]![0];
      for (const [name, weight] of scenarios) {
        draw -= weight;
        if (draw < 0) {
          scenario = name;
          break;
        }
      }
      this.#episode(scenario, remaining);
    }
    const used = this.#usedMedia();
    return {
      seed: this.#options.seed,
      homeCountry: this.#options.homeCountry,
      asOf: isoSeconds(this.#asOfMs),
      partners,
      media: used,
      families: this.#families.filter((family) => used.has(family.originalKey)),
      reports: this.#reports,
      bundles: this.#bundles(),
      ipAddresses: this.#ipAddresses,
    };
  }

  /** Media that some file carries, plus the originals their variants are made from. */
  #usedMedia(): Map<string, PlannedMedia> {
    const keys = new Set<string>();
    for (const report of this.#reports) for (const file of report.files) keys.add(file.mediaKey);
    for (const key of [...keys]) {
      const spec = this.#media.get(key)!.spec;
      if (spec.kind === 'variant') keys.add(spec.of);
    }
    return new Map([...this.#media].filter(([key]) => keys.has(key)));
  }

  #bundles(): PlannedBundle[] {
    const date = isoSeconds(this.#asOfMs).slice(0, 10);
    const bundles: PlannedBundle[] = [];
    for (const partner of partners) {
      const indexes = this.#reports.flatMap((report, index) =>
        report.partnerId === partner.partnerId ? [index] : [],
      );
      for (let start = 0; start < indexes.length; start += this.#options.reportsPerBundle) {
        const sequence = String(
          bundles.filter((bundle) => bundle.partnerId === partner.partnerId).length + 1,
        );
        bundles.push({
          partnerId: partner.partnerId,
          bundleRef: `${partner.partnerId}-${date}-${sequence.padStart(4, '0')}`,
          reports: indexes.slice(start, start + this.#options.reportsPerBundle),
        });
      }
    }
    return bundles;
  }

  // ---- scenarios -------------------------------------------------------------------------

  #episode(scenario: ScenarioName, remaining: number): void {
    const r = this.#random;
    const home = this.#options.homeCountry;
    switch (scenario) {
      case 'enticement-escalated': {
        const persona = this.#persona(home);
        const files = this.#freshFiles(r.int(1, 3), { classification: r.pick(['B1', 'B2', null] as const) });
        if (files.length < this.#options.maxFiles && r.chance(0.3))
          files.push({ mediaKey: this.#text('chat excerpt') });
        this.#add({
          ...this.#common('enticement-escalated', 'P1', this.#partner()),
          incidentType: ENTICEMENT,
          escalation: r.pick(escalationTexts),
          annotations: r.chance(0.4) ? ['csamSolicitation'] : [],
          persons: [this.#person(persona, this.#priorIds())],
          victims: [{ age: r.int(11, 15) }],
          recipients: r.chance(0.5) ? [{ age: r.int(11, 15), screenName: this.#screenName() }] : [],
          files: this.#withUploadIp(files, persona),
        });
        return;
      }
      case 'sextortion-escalated': {
        const persona = this.#persona(home);
        const files = this.#freshFiles(r.int(1, 4), {
          annotations: ['possibleSelfProduction'],
          classification: r.pick(['B1', 'B2'] as const),
        });
        this.#add({
          ...this.#common('sextortion-escalated', 'P1', this.#partner()),
          incidentType: r.pick([ENTICEMENT, CSAM]),
          escalation: r.pick(sextortionEscalationTexts),
          annotations: ['sextortion'],
          persons: [this.#person(persona, [])],
          victims: [{ age: r.int(12, 16) }],
          files: this.#withUploadIp(files, persona),
        });
        return;
      }
      case 'new-production-home': {
        const persona = this.#persona(home);
        const count = r.int(2, 6);
        const files = this.#freshFiles(count, { classification: r.pick(['A1', 'A2', 'B1'] as const) });
        const marked = files[0]!;
        files[0] = { ...marked, annotations: r.sample(productionAnnotations, r.int(1, 2)) };
        this.#add({
          ...this.#common('new-production-home', 'P2', this.#partner()),
          incidentType: CSAM,
          persons: [this.#person(persona, this.#priorIds())],
          files: this.#withUploadIp(files, persona),
        });
        return;
      }
      case 'victim-risk-abroad': {
        const persona = this.#persona(this.#abroad(), { proxyInHome: r.chance(0.4) });
        this.#add({
          ...this.#common('victim-risk-abroad', 'P2', this.#partner()),
          incidentType: r.pick(victimRiskIncidents),
          escalation: r.chance(0.5) ? r.pick(escalationTexts) : null,
          persons: [this.#person(persona, [])],
          victims: [{ age: r.int(10, 15) }],
          files: this.#withUploadIp(this.#freshFiles(r.int(1, 3), {}), persona),
        });
        return;
      }
      case 'repeat-suspect-chain': {
        const length = Math.min(remaining, r.int(2, 4));
        if (length < 2) {
          this.#episode('new-content-abroad', remaining);
          return;
        }
        const persona = this.#persona(home);
        const esp = esps[0]; // the platform partner is this ESP, so its user id means the same account
        const earlierIds: string[] = [];
        let previousFresh: string[] = [];
        for (let step = 0; step < length; step++) {
          const partner = this.#partner();
          const fresh = this.#freshFiles(r.int(2, 3), {
            classification: r.pick(['A2', 'B1', 'B2', null] as const),
          });
          const files: FileDraft[] = [...fresh];
          // Re-share one image of the previous report: it stays that report's only non-new file.
          if (previousFresh.length >= 2 && files.length + 1 <= this.#options.maxFiles) {
            files.push({ mediaKey: previousFresh[0]! });
          }
          previousFresh = fresh.map((file) => file.mediaKey);
          const report = this.#add({
            ...this.#common('repeat-suspect-chain', 'P2', partner, esp),
            incidentType: r.chance(0.7) ? CSAM : ENTICEMENT,
            persons: [this.#person(persona, [...earlierIds], step === 0 ? 'all' : 'some')],
            files: this.#withUploadIp(files, persona),
          });
          if (partner.kind === 'tipline') earlierIds.push(report.partnerReportId);
        }
        return;
      }
      case 'known-distribution-home': {
        const persona = this.#persona(home);
        this.#add({
          ...this.#common('known-distribution-home', 'P3', this.#partner()),
          incidentType: CSAM,
          persons: [this.#person(persona, this.#priorIds())],
          files: this.#withUploadIp(this.#knownFiles(r.int(1, 8)), persona),
        });
        return;
      }
      case 'new-content-abroad': {
        const persona = this.#persona(this.#abroad(), { proxyInHome: r.chance(0.3) });
        const files = this.#freshFiles(r.int(1, 5), { classification: r.pick(['A2', 'B2', null] as const) });
        const room = this.#options.maxFiles - files.length;
        if (room > 0 && r.chance(0.4)) files.push(...this.#knownFiles(Math.min(room, r.int(1, 2))));
        this.#add({
          ...this.#common('new-content-abroad', 'P3', this.#partner()),
          incidentType: CSAM,
          persons: [this.#person(persona, this.#priorIds())],
          files: this.#withUploadIp(files, persona),
        });
        return;
      }
      case 'near-duplicate-cluster': {
        const size = Math.min(remaining, r.int(2, 3));
        if (size < 2) {
          this.#episode('hotline-new-url', remaining);
          return;
        }
        const family = this.#addFamily(null, null);
        const members = [
          family.originalKey,
          ...r.sample(edits, edits.length).map((edit) => `${family.id}/${edit}`),
        ];
        // Each report gets at least one member, so every member is a near-duplicate of another report's.
        const shares: string[][] = Array.from({ length: size }, () => []);
        members.forEach((key, index) => {
          const share = shares[index < size ? index : r.int(0, size - 1)]!;
          if (share.length < this.#options.maxFiles) share.push(key);
        });
        for (const share of shares) {
          const persona = this.#persona(r.chance(0.5) ? home : this.#abroad());
          this.#add({
            ...this.#common('near-duplicate-cluster', 'P3', this.#partner()),
            incidentType: CSAM,
            persons: [this.#person(persona, [])],
            files: this.#withUploadIp(
              share.map((mediaKey) => ({ mediaKey })),
              persona,
            ),
          });
        }
        return;
      }
      case 'hotline-known-url':
      case 'hotline-new-url': {
        const known = scenario === 'hotline-known-url';
        const files = known ? this.#knownFiles(r.int(1, 6)) : this.#freshFiles(r.int(1, 4), {});
        const urls = Array.from(
          { length: r.int(1, 3) },
          () => `https://img-host-${r.int(1, 40)}.example.net/gallery/${hex(r, 12)}.html`,
        );
        this.#add({
          ...this.#common(scenario, known ? 'P4' : 'P3', partners[1]!),
          esp: hotlineEsp,
          incidentType: CSAM,
          persons: [],
          urls,
          files,
        });
        return;
      }
      case 'viral-batched': {
        const persona = this.#persona(r.chance(0.3) ? home : this.#abroad());
        const count = Math.min(this.#options.maxFiles, this.#viralFileCount());
        // Mostly exact copies of the memes; a few near-duplicates (family members, each once per report).
        const members = r.sample(
          this.#memeFamilies.flatMap((family) => [
            family.originalKey,
            ...edits.map((edit) => `${family.id}/${edit}`),
          ]),
          Math.min(12, Math.floor(count * 0.15)),
        );
        const files: FileDraft[] = [];
        for (let index = 0; index < count; index++) {
          const mediaKey = index < members.length ? members[index]! : r.pick(this.#memes);
          files.push({
            mediaKey,
            annotations: r.chance(0.7) ? ['viral', 'potentialMeme'] : ['potentialMeme'],
            classification: r.chance(0.5) ? 'B2' : null,
          });
        }
        this.#add({
          ...this.#common('viral-batched', 'P4', this.#partner()),
          incidentType: CSAM,
          batched: true,
          persons: [this.#person(persona, [])],
          files: this.#withUploadIp(r.sample(files, files.length), persona),
        });
        return;
      }
      case 'informational-referral': {
        const persona = this.#persona(this.#abroad());
        this.#add({
          ...this.#common('informational-referral', 'P4', partners[0]!),
          incidentType: CSAM,
          annotations: ['informational'],
          persons: [this.#person(persona, [])],
          files: this.#withUploadIp(this.#knownFiles(r.int(1, 3)), persona),
        });
        return;
      }
    }
  }

  /** Mostly a handful of files; a few hundred sometimes; thousands rarely. */
  #viralFileCount(): number {
    const r = this.#random;
    const draw = r.next();
    if (draw < 0.6) return r.int(3, 30);
    if (draw < 0.9) return r.int(31, 300);
    return r.int(301, 3000);
  }

  #common(scenario: ScenarioName, tier: Tier, partner: FeedPartner, esp?: Esp) {
    const r = this.#random;
    return {
      partner,
      scenario,
      tier,
      esp: esp ?? (partner.kind === 'platform' ? esps[0] : r.pick(esps)),
      incidentMs: this.#asOfMs - r.int(1, 20) * DAY - r.int(0, DAY / 1000) * 1000,
    };
  }

  #partner(): FeedPartner {
    return this.#random.chance(0.75) ? partners[0]! : partners[2]!;
  }

  #abroad(): FeedCountry {
    return this.#random.pick(feedCountries.filter((country) => country !== this.#options.homeCountry));
  }

  /** Earlier CyberTipline report ids outside the feed, for some suspects. */
  #priorIds(): string[] {
    const r = this.#random;
    return r.chance(0.15) ? [String(90_000_000 + r.int(0, 9_999_999))] : [];
  }

  // ---- people ------------------------------------------------------------------------------

  #screenName(): string {
    const r = this.#random;
    this.#personaCount++;
    return `${r.pick(adjectives)}_${r.pick(nouns)}_${(this.#options.seed % 1000) * 10_000 + this.#personaCount}`;
  }

  #persona(country: FeedCountry, options: { proxyInHome?: boolean } = {}): Persona {
    const r = this.#random;
    const screenName = this.#screenName();
    const ips = Array.from({ length: r.int(1, 2) }, () => this.#allocate(country));
    return {
      screenName,
      email: `${screenName.replaceAll('_', '.')}@${r.pick(['example.com', 'example.org'])}`,
      espIdentifier: `u${String(deriveSeed(this.#options.seed, 'esp', this.#personaCount)).padStart(10, '0')}`,
      device: {
        idType: r.pick(['IDFA', 'GAID']),
        idValue: `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
      },
      ips,
      proxyIp:
        options.proxyInHome && country !== this.#options.homeCountry
          ? this.#allocate(this.#options.homeCountry)
          : null,
      location: r.chance(0.85) ? { countryCode: country, city: r.pick(cities[country]) } : null,
    };
  }

  #allocate(country: FeedCountry): AllocatedIp {
    const ip = this.#ips.next(country);
    this.#ipAddresses.push(ip);
    return ip;
  }

  /**
   * The reported person as one report shows it. `some` keeps a random part of the identifiers
   * (at least the e-mail or the user id), as reports about the same user rarely list everything.
   */
  #person(persona: Persona, priorCTReports: string[], identifiers: 'all' | 'some' = 'all'): PlannedPerson {
    const r = this.#random;
    const keep = (probability: number) => identifiers === 'all' || r.chance(probability);
    const keepEmail = keep(0.6);
    const events: IpEvent[] = [];
    const eventTime = this.#asOfMs - r.int(1, 25) * DAY;
    for (const ip of persona.ips) {
      if (!keep(0.6) && events.length > 0) continue;
      events.push(
        this.#ipEvent(ip, r.pick(['Login', 'Login', 'Registration', 'Other'] as const), eventTime, false),
      );
    }
    if (persona.proxyIp !== null) events.push(this.#ipEvent(persona.proxyIp, 'Login', eventTime, true));
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

  #ipEvent(
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

  #withUploadIp(files: FileDraft[], persona: Persona): FileDraft[] {
    return files.map((file) => ({ ...file, uploadIp: this.#random.chance(0.5) ? persona.ips[0]! : null }));
  }

  // ---- media ---------------------------------------------------------------------------------

  #smallSize(): [number, number] {
    const r = this.#random;
    const draw = r.next();
    const width = draw < 0.75 ? r.int(64, 256) : draw < 0.95 ? r.int(257, 400) : r.int(401, 640);
    return [width, Math.max(64, Math.round(width * (0.6 + r.next() * 0.6)))];
  }

  #memeSize(): [number, number] {
    const width = this.#random.pick([160, 200, 240, 280]);
    return [width, Math.round(width * 0.75)];
  }

  #addShapes(
    origin: PlannedMedia['origin'],
    key: string,
    [width, height]: [number, number],
    caption: string | null,
    knownMd5Category: number | null,
  ): string {
    // Memes circulate as JPEG (small, so batched reports of thousands stay small on disk).
    const format = origin === 'meme' || this.#random.chance(0.5) ? 'jpeg' : 'png';
    const spec: MediaSpec = {
      kind: 'shapes',
      seed: deriveSeed(this.#options.seed, key),
      width,
      height,
      format,
      caption,
    };
    this.#media.set(key, {
      key,
      spec,
      origin,
      extension: format === 'jpeg' ? 'jpg' : 'png',
      family: null,
      edit: null,
      knownMd5Category,
    });
    return key;
  }

  /** A base image and one variant per near-duplicate edit; the base is never 320 wide (the resize target). */
  #addFamily(caption: string | null, knownPdqCategory: number | null): FeedFamily {
    const id = `family-${this.#families.length}`;
    const r = this.#random;
    // Large enough for PDQ to stay close under every edit (small synthetic images drift further).
    const width = caption === null ? r.pick([400, 480, 560]) : r.pick([400, 480]);
    const height = Math.round(width * (caption === null ? 0.6 + r.next() * 0.4 : 0.75));
    const originalKey = `${id}/original`;
    this.#media.set(originalKey, {
      key: originalKey,
      spec: {
        kind: 'shapes',
        seed: deriveSeed(this.#options.seed, originalKey),
        width,
        height,
        format: 'png',
        caption,
      },
      origin: 'family',
      extension: 'png',
      family: id,
      edit: 'original',
      knownMd5Category: null,
    });
    for (const edit of edits) {
      const key = `${id}/${edit}`;
      this.#media.set(key, {
        key,
        spec: { kind: 'variant', of: originalKey, edit },
        origin: 'family',
        extension: edit === 'reencode' ? 'jpg' : 'png',
        family: id,
        edit,
        knownMd5Category: null,
      });
    }
    const family = { id, originalKey, knownPdqCategory };
    this.#families.push(family);
    return family;
  }

  #freshFiles(count: number, file: Omit<FileDraft, 'mediaKey'>): FileDraft[] {
    return Array.from({ length: Math.min(count, this.#options.maxFiles) }, () => {
      const key = `fresh-${this.#freshCount++}`;
      this.#addShapes('fresh', key, this.#smallSize(), null, null);
      return { ...file, mediaKey: key };
    });
  }

  /** Files of known content: exact known-pool images and members of families whose PDQ is listed. */
  #knownFiles(count: number): FileDraft[] {
    const r = this.#random;
    return Array.from({ length: Math.min(count, this.#options.maxFiles) }, () => {
      if (r.chance(0.65)) return { mediaKey: r.pick(this.#knownPool) };
      const family = r.pick(this.#knownFamilies);
      return { mediaKey: r.pick([family.originalKey, ...edits.map((edit) => `${family.id}/${edit}`)]) };
    });
  }

  #text(kind: string): string {
    const key = `text-${this.#textCount++}`;
    this.#media.set(key, {
      key,
      spec: {
        kind: 'text',
        text: `Synthetic ${kind} placeholder ${key} (seed ${this.#options.seed}). Invented; nothing real.\n`,
      },
      origin: 'text',
      extension: 'txt',
      family: null,
      edit: null,
      knownMd5Category: null,
    });
    return key;
  }

  // ---- reports -------------------------------------------------------------------------------

  #add(draft: ReportDraft): PlannedReport {
    const r = this.#random;
    const partnerId = draft.partner.partnerId;
    const counter = this.#reportCounters.get(partnerId) ?? 0;
    this.#reportCounters.set(partnerId, counter + 1);
    const partnerReportId = String(
      reportIdBase[draft.partner.kind] + (this.#options.seed % 997) * 100_000 + counter + 1,
    );
    const [firstName, lastName] = r.pick(contactNames);
    const files = draft.files.map((file, index) => this.#file(file, index, draft));
    const report: PlannedReport = {
      partnerId,
      partnerReportId,
      scenario: draft.scenario,
      intendedTier: draft.tier,
      incidentType: draft.incidentType,
      incidentDateTime: isoSeconds(draft.incidentMs),
      platform: draft.esp.platform,
      escalateToHighPriority: draft.escalation ?? null,
      reportAnnotations: draft.annotations ?? [],
      batched: draft.batched ?? false,
      reporter: {
        companyName: draft.esp.companyName,
        espService: draft.esp.espService,
        contactFirstName: firstName,
        contactLastName: lastName,
        contactEmail: `trust-safety@${draft.esp.domain}`,
      },
      personsReported: draft.persons,
      victims: draft.victims ?? [],
      intendedRecipients: draft.recipients ?? [],
      webPageUrls: draft.urls ?? [],
      additionalInfo: `Synthetic test report (triage feed, seed ${this.#options.seed}, scenario ${draft.scenario}). Invented data; nothing real.`,
      files,
    };
    this.#reports.push(report);
    return report;
  }

  #file(draft: FileDraft, index: number, report: ReportDraft): PlannedFile {
    const r = this.#random;
    const media = this.#media.get(draft.mediaKey)!;
    const uploadedMs = report.incidentMs - r.int(0, 48 * 3600) * 1000;
    const serial = ++this.#fileNameCount;
    const fileName =
      media.extension === 'txt'
        ? 'chat-excerpt.txt'
        : media.origin === 'meme' || (media.spec.kind === 'shapes' && media.spec.caption !== null)
          ? `meme_${serial}.${media.extension}`
          : media.extension === 'jpg'
            ? `IMG_${String(serial % 10_000).padStart(4, '0')}.jpg`
            : `image_${serial}.png`;
    return {
      fileId: `f-${index + 1}`,
      mediaKey: draft.mediaKey,
      fileName,
      originalFileName: r.chance(0.3) ? `upload_${hex(r, 6)}.${media.extension}` : null,
      locationOfFile: `https://cdn.${report.esp.domain}/${hex(r, 16)}.${media.extension}`,
      uploadedToEspAt: isoSeconds(uploadedMs),
      fileViewedByEsp: r.chance(0.85),
      exifViewedByEsp: r.chance(0.1),
      publiclyAvailable: r.chance(0.2),
      fileRelevance: r.chance(0.9) ? 'Reported' : 'Supplemental Reported',
      fileAnnotations: draft.annotations ?? [],
      industryClassification: draft.classification ?? null,
      uploadIpEvent:
        draft.uploadIp === undefined || draft.uploadIp === null
          ? null
          : this.#ipEvent(draft.uploadIp, 'Upload', uploadedMs - 3_600_000, false),
      details:
        media.extension === 'jpg' && r.chance(0.2)
          ? [{ type: 'EXIF', name: 'Model', value: 'Example Cam 3' }]
          : [],
      md5Mismatch: report.partner.kind === 'tipline' && !report.batched && r.chance(0.01),
    };
  }
}

/** The feed's story for a seed: deterministic, no I/O. */
export function planFeed(options: PlanOptions): FeedPlan {
  return new FeedPlanner(options).plan();
}
