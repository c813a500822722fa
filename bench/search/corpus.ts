/**
 * The search benchmark's corpus: invented reports turned into the documents the indexer writes,
 * with the indexer's own builders (`planCaseWrite` for cases, `itemDocument`, `mergeMediaDocument`).
 * Pure and deterministic: the same seed and version give the same documents in the same order, so
 * a loaded corpus can be recognised and reused. Nothing here is real: partners, countries and
 * networks follow the synthetic feed's (packages/feed), report text is made of invented words.
 */
import { createHash } from 'node:crypto';
import { feedCountries } from '@triage/feed';
import { seededRandom } from '@triage/feed/synthetic-images';
import {
  type Case,
  type CaseItemSummary,
  type EnrichedItem,
  type IncidentType,
  type Media,
  recordExamples,
  type Tier,
  type TriageAction,
} from '@triage/schemas';
import {
  type CaseDocument,
  type ItemDocument,
  itemDocument,
  type MediaDocument,
  mergeMediaDocument,
  planCaseWrite,
} from '@triage/search';

/** Bumped whenever the documents change: a corpus loaded by another version is rebuilt, not reused. */
export const corpusVersion = 1;

export interface CorpusOptions {
  seed: number;
  /** Reports, one case document each. */
  cases: number;
  /** Items per case on average (each pair of cases has exactly twice this many), so items = cases x this. */
  itemsPerCase: number;
  /** Starts every partner report id (`<partner>:<tag><n>`), so two corpora of one seed never share a report. Default `R-`. */
  idTag?: string;
}

/** One report's documents. */
export interface CorpusReport {
  reportId: string;
  /** The scored case, as the scorer writes it to `cases.v1`. */
  case: Case;
  caseDocument: CaseDocument;
  items: { id: string; document: ItemDocument }[];
  /** Media documents complete with this report (files only it carries); shared files come from `sharedMedia`. */
  media: MediaDocument[];
}

/** The week the corpus ends (the feed's `asOf`): received times spread over the year before it. */
export const corpusAsOf = Date.UTC(2026, 10, 28, 12);
const day = 86_400_000;
export const corpusDays = 365;

export const corpusPartners = [
  'tipline-nl',
  'hotline-nl',
  'platform-social',
  'platform-video',
  'platform-chat',
  'platform-games',
  'hotline-de',
  'tipline-be',
] as const;

/** The feed's home countries first (most traffic), then a tail. */
export const corpusCountries = [...feedCountries, 'BE', 'ES', 'IT', 'PL', 'SE', 'CA', 'BR', 'IN', 'JP', 'AU'];

export const corpusLists = ['police-example-vics', 'hotline-example-hashes', 'partner-example-list'] as const;

export const corpusStatuses = ['in_progress', 'escalated', 'closed'] as const;

const asOrganizations = Array.from({ length: 30 }, (_, n) => `Example Hosting ${n + 1} B.V.`);
const assignees = Array.from({ length: 40 }, (_, n) => `analyst-${n + 1}`);

/** Weighted like a tipline's mix: mostly child-abuse material, some enticement, a tail. */
const incidentTypes: readonly [IncidentType, number][] = [
  ['CHILD_PORNOGRAPHY', 70],
  ['ONLINE_ENTICEMENT', 14],
  ['UNSOLICITED_OBSCENE_MATERIAL', 5],
  ['CHILD_SEX_TRAFFICKING', 3],
  ['MISLEADING_WORDS_OR_IMAGES', 3],
  ['CHILD_SEXUAL_MOLESTATION', 2],
  ['MISLEADING_DOMAIN_NAME', 1],
  ['CHILD_SEX_TOURISM', 1],
  ['UNKNOWN', 1],
];

/** Few urgent cases, most in the middle. Score ranges follow the tiers. */
const tiers: readonly [Tier, number, readonly [number, number]][] = [
  ['P1', 5, [80, 100]],
  ['P2', 20, [60, 80]],
  ['P3', 45, [30, 60]],
  ['P4', 30, [0, 30]],
];

const syllables = [
  'ka',
  'lo',
  'mi',
  'ten',
  'rua',
  'shi',
  'vo',
  'ber',
  'zan',
  'qui',
  'del',
  'op',
  'nyr',
  'fa',
  'gu',
  'wex',
];

/** Invented words, a few thousand of them, drawn with a skew like a natural vocabulary. */
export const corpusWords: readonly string[] = (() => {
  const words = new Set<string>();
  const random = seededRandom(7);
  while (words.size < 4_000) {
    const length = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length }, () => syllables[Math.floor(random() * syllables.length)]).join(''));
  }
  return [...words];
})();

type Draw = () => number;

const pick = <T>(draw: Draw, values: readonly T[]): T => values[Math.floor(draw() * values.length)]!;

function weighted<T>(draw: Draw, table: readonly (readonly [T, number, ...unknown[]])[]): T {
  const total = table.reduce((sum, [, weight]) => sum + weight, 0);
  let at = draw() * total;
  for (const [value, weight] of table) {
    at -= weight;
    if (at < 0) return value;
  }
  return table.at(-1)![0];
}

/** A word by rank, skewed towards the frequent ones (rank ~ u^3). */
const word = (draw: Draw) => corpusWords[Math.floor(draw() ** 3 * corpusWords.length)]!;

/** A country: half the cases in the home country, the rest spread. */
const country = (draw: Draw) => (draw() < 0.5 ? corpusCountries[0]! : pick(draw, corpusCountries));

const hex = (algorithm: string, key: string) => createHash(algorithm).update(key).digest('hex');

/** Files a report carries: new ones (its own), earlier seen ones (a shared pool) or known ones (listed). */
type FileOrigin = 'new' | 'seen' | 'known';

interface FileDraw {
  key: string;
  origin: FileOrigin;
  /** A near-duplicate of earlier content (new files only). */
  near: boolean;
}

/**
 * Streams the corpus report by report; `sharedMedia()` afterwards gives the media documents of the
 * files several reports carry (their sightings are only complete once every report was made).
 */
export class CorpusGenerator {
  readonly #options: CorpusOptions;
  readonly #draw: Draw;
  readonly #shared = new Map<string, MediaDocument>();
  readonly #seenPool: number;
  readonly #knownPool: number;
  #pairCount = 0;

  constructor(options: CorpusOptions) {
    this.#options = options;
    this.#draw = seededRandom(options.seed);
    const items = options.cases * options.itemsPerCase;
    this.#seenPool = Math.max(50, Math.round(items / 50));
    this.#knownPool = Math.max(10, Math.round(items / 500));
  }

  /** Report `n` (0-based); reports must be asked for in order (one random stream). */
  report(n: number): CorpusReport {
    const draw = this.#draw;
    const { itemsPerCase } = this.#options;
    // Pairs of reports share 2 x itemsPerCase items, so the total is exact.
    if (n % 2 === 0) this.#pairCount = 1 + Math.floor(draw() * (2 * itemsPerCase - 1));
    const itemCount = n % 2 === 0 ? this.#pairCount : 2 * itemsPerCase - this.#pairCount;
    const partnerId = pick(draw, corpusPartners);
    const partnerReportId = `${this.#options.idTag ?? 'R-'}${String(n).padStart(8, '0')}`;
    const reportId = `${partnerId}:${partnerReportId}`;
    const receivedAt = corpusAsOf - Math.floor(draw() * corpusDays * day);
    const incidentDateTime = draw() < 0.8 ? receivedAt - Math.floor(draw() * 30 * day) : null;
    const home = country(draw);
    const countries = draw() < 0.2 ? [...new Set([home, country(draw)])] : [home];
    const asOrgs = [pick(draw, asOrganizations)];
    const drawnTier = weighted(draw, tiers);
    const tierRow = tiers.find(([tier]) => tier === drawnTier)!;
    const [low, high] = tierRow[2];
    const score = Math.round((low + draw() * (high - low)) * 10) / 10;
    const incidentType = weighted(draw, incidentTypes);
    const bundleId = `bndl-${n.toString(16)}`;

    const files = Array.from({ length: itemCount }, (_, index) => this.#file(n, index));
    const enriched = files.map((file, index) =>
      enrichedItem({
        file,
        reportId,
        partnerId,
        bundleId,
        receivedAt,
        index,
        itemCount,
        country: countries[0]!,
        asOrg: asOrgs[0]!,
      }),
    );
    const summaries = enriched.map((item, index) => caseItem(item, files[index]!));
    const record: Case = {
      ...recordExamples.Case,
      reportId,
      version: 1,
      report: {
        ...recordExamples.Case.report,
        partnerId,
        partnerReportId,
        bundleId,
        receivedAt,
        incidentType,
        incidentDateTime,
        ncmecPriority: draw() < 0.1 ? 1 : draw() < 0.5 ? 2 : 3,
        escalateToHighPriority: null,
        reportAnnotations: draw() < 0.1 ? ['sextortion'] : [],
        reporterName: `${partnerId} reporter`,
        estimatedCountryCodes: countries,
      },
      items: summaries,
      enrichment: {
        countryCodes: countries,
        inJurisdiction: countries.includes('NL'),
        possibleProxy: draw() < 0.05,
        asOrganizations: asOrgs,
        hosts: [],
      },
      score,
      tier: tierRow[0],
      ruleVersion: 'bench-rules-1',
      linkedReports: [],
      provisional: false,
      itemsExpected: itemCount,
      itemsSeen: itemCount,
      updatedAt: receivedAt + 5_000,
    };
    const text = Array.from({ length: 20 + Math.floor(draw() * 60) }, () => word(draw)).join(' ');
    const write = planCaseWrite(null, {
      reportId,
      case: record,
      actions: actions(draw, reportId, receivedAt),
      report: { version: 1, text },
    });
    if (write.kind !== 'index') throw new Error(`corpus: expected an index write for ${reportId}`);

    const media: MediaDocument[] = [];
    for (const [index, item] of enriched.entries()) {
      const file = files[index]!;
      if (file.origin === 'new') {
        media.push(
          mergeMediaDocument(null, { sha256: item.item.sha256!, media: mediaOf(item), items: [item] }),
        );
      } else {
        const sha256 = item.item.sha256!;
        const current = this.#shared.get(sha256) ?? null;
        this.#shared.set(
          sha256,
          mergeMediaDocument(current, { sha256, media: current ? null : mediaOf(item), items: [item] }),
        );
      }
    }
    return { reportId, case: record, caseDocument: write.document, items: enriched.map(itemDocument), media };
  }

  /** The media documents of files carried by several reports, once every report was made. */
  sharedMedia(): MediaDocument[] {
    return [...this.#shared.values()];
  }

  #file(n: number, index: number): FileDraw {
    const roll = this.#draw();
    // Skewed pools: a few files recur in many reports, most in a handful.
    const pooled = (size: number) => Math.floor(this.#draw() ** 2 * size);
    if (roll < 0.05) return { key: `known/${pooled(this.#knownPool)}`, origin: 'known', near: false };
    if (roll < 0.25) return { key: `seen/${pooled(this.#seenPool)}`, origin: 'seen', near: false };
    return { key: `new/${this.#options.seed}/${n}/${index}`, origin: 'new', near: this.#draw() < 0.1 };
  }
}

interface ItemFacts {
  file: FileDraw;
  reportId: string;
  partnerId: string;
  bundleId: string;
  receivedAt: number;
  index: number;
  itemCount: number;
  country: string;
  asOrg: string;
}

/** An enriched file item of the example's shape, its hashes derived from the file's key. */
function enrichedItem(facts: ItemFacts): EnrichedItem {
  const example = recordExamples.EnrichedItem;
  const { file } = facts;
  const sha256 = hex('sha256', file.key);
  const pdq = hex('sha256', `pdq/${file.key}`);
  const fileId = `f-${facts.index + 1}`;
  const listIndex = Number(file.key.split('/')[1]) % corpusLists.length;
  return {
    item: {
      ...example.item,
      fileId,
      sha256,
      fileName: `IMG_${String(facts.index + 1).padStart(4, '0')}.jpg`,
      originalFileName: null,
      locationOfFile: null,
      partnerHashes: [],
      partnerHashChecks: [],
      itemId: `${facts.reportId}/${fileId}`,
      reportId: facts.reportId,
      reportVersion: 1,
      partnerId: facts.partnerId,
      bundleId: facts.bundleId,
      receivedAt: facts.receivedAt,
      itemIndex: facts.index,
      itemCount: facts.itemCount,
    },
    hashes: {
      ...example.hashes!,
      md5: hex('md5', file.key),
      sha1: hex('sha1', file.key),
      sha256,
      pdq,
      pdqDihedral: Array.from({ length: 8 }, (_, i) => pdq.slice(i * 8) + pdq.slice(0, i * 8)),
    },
    matches:
      file.origin === 'known'
        ? [
            {
              ...example.matches[0]!,
              listName: corpusLists[listIndex]!,
              category: 1 + (listIndex % 3),
              categoryLabel: `Category ${1 + (listIndex % 3)}`,
            },
          ]
        : [],
    dedupe:
      file.origin === 'new' && !file.near
        ? null
        : {
            ...example.dedupe!,
            firstSeenReportId: `${facts.partnerId}:first`,
            firstSeenAt: facts.receivedAt - day,
            reportCount: 2,
            nearDuplicateClusterId: file.near ? `pdq-c-${pdq.slice(0, 8)}` : null,
            nearestDistance: file.near ? 8 + (pdq.charCodeAt(0) % 20) : null,
          },
    enrichment: [
      {
        ...example.enrichment[0]!,
        countryCode: facts.country,
        asOrganization: facts.asOrg,
        inJurisdiction: facts.country === 'NL',
      },
    ],
  };
}

function mediaOf(item: EnrichedItem): Media {
  return {
    ...recordExamples.Media,
    sha256: item.item.sha256!,
    pdq: item.hashes?.pdq ?? null,
    firstSeenReportId: item.item.reportId,
    firstSeenItemId: item.item.itemId,
    firstSeenAt: item.item.receivedAt,
    clusterId: item.dedupe?.nearDuplicateClusterId ?? item.item.sha256!,
  };
}

function caseItem(item: EnrichedItem, file: FileDraw): CaseItemSummary {
  const novelty =
    file.origin === 'known'
      ? 'known'
      : file.origin === 'seen'
        ? 'seen'
        : file.near
          ? 'near_duplicate'
          : 'new';
  return {
    itemId: item.item.itemId,
    kind: 'file',
    sha256: item.item.sha256,
    url: null,
    mediaType: 'image/jpeg',
    novelty,
    categories: [
      ...new Set(item.matches.flatMap((match) => (match.category === null ? [] : [match.category]))),
    ],
    matchedLists: [...new Set(item.matches.map((match) => match.listName))],
    nearestDistance: item.dedupe?.nearestDistance ?? null,
    fileViewedByEsp: file.key.length % 2 === 0,
    industryClassification: file.origin === 'known' ? 'B2' : null,
    fileAnnotations: [],
  };
}

/** The analysts' work so far: most cases untouched, some claimed, escalated or closed. */
function actions(draw: Draw, reportId: string, receivedAt: number): TriageAction[] {
  const roll = draw();
  if (roll < 0.55) return [];
  const at = receivedAt + Math.floor(draw() * 5 * day);
  const assignee = pick(draw, assignees);
  const action = (n: number, type: TriageAction['type'], payload: Record<string, string>): TriageAction => ({
    ...recordExamples.TriageAction,
    actionId: `${reportId}/action-${n}`,
    reportId,
    reportVersion: 1,
    actor: assignee,
    type,
    payload,
    at: at + n * 60_000,
  });
  const status = roll < 0.8 ? 'in_progress' : roll < 0.88 ? 'escalated' : 'closed';
  const done = [action(0, 'assign', { assignee }), action(1, 'status', { status })];
  if (status === 'closed') done.push(action(2, 'disposition', { disposition: 'no_further_action' }));
  return done;
}
