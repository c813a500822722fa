/**
 * The queue queries the benchmark asks, as the API's query strings: what analysts do most (the
 * default queue), the typical filter sets, full text, and deep paging. Pure and seeded: the same
 * seed asks the same questions in the same order.
 */
import { seededRandom } from '@triage/feed/synthetic-images';
import {
  corpusAsOf,
  corpusCountries,
  corpusDays,
  corpusLists,
  corpusPartners,
  corpusStatuses,
  corpusWords,
} from './corpus.ts';

/** One query string parameter list (repeated names for list filters, as the route takes them). */
export type QueryParams = readonly (readonly [string, string])[];

export const queryKinds = [
  'default queue',
  'tier + status',
  'country + partner',
  'known list + category',
  'received range',
  'incident range',
  'assignee',
  'full text',
] as const;

export type QueryKind = (typeof queryKinds)[number];

const day = 86_400_000;

/** The parameters of sample `n` of a kind (cycling through realistic values). */
function queryParams(kind: QueryKind, draw: () => number): QueryParams {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(draw() * values.length)]!;
  const windowStart = (days: number) => corpusAsOf - Math.floor(draw() * (corpusDays - days) + days) * day;
  switch (kind) {
    case 'default queue':
      return [];
    case 'tier + status':
      return [
        ['tier', pick(['P1', 'P2'])],
        ['tier', 'P3'],
        ['status', pick(corpusStatuses)],
      ];
    case 'country + partner':
      return [
        ['country', pick(corpusCountries)],
        ['partner', pick(corpusPartners)],
      ];
    case 'known list + category':
      return [
        ['knownList', pick(corpusLists)],
        ['category', String(1 + Math.floor(draw() * 3))],
      ];
    case 'received range': {
      const from = windowStart(30);
      return [
        ['receivedFrom', String(from)],
        ['receivedTo', String(from + 30 * day)],
      ];
    }
    case 'incident range': {
      const from = windowStart(7);
      return [
        ['incidentFrom', String(from)],
        ['incidentTo', String(from + 7 * day)],
        ['sort', 'received'],
      ];
    }
    case 'assignee':
      return [['assignee', `analyst-${1 + Math.floor(draw() * 40)}`]];
    case 'full text':
      // Two words of the middle of the vocabulary (neither stop-word frequent nor unseen), all required.
      return [['q', `${fullTextWord(draw)} ${fullTextWord(draw)}`]];
  }
}

function fullTextWord(draw: () => number): string {
  const words = corpusWords;
  return words[Math.floor(words.length * (0.05 + draw() * 0.25) ** 3)]!;
}

/** The plan: `samples` of each kind, interleaved (so a slow moment of the machine hits every kind alike). */
export function queryPlan(seed: number, samples: number): { kind: QueryKind; params: QueryParams }[] {
  const draw = seededRandom(seed);
  const plan: { kind: QueryKind; params: QueryParams }[] = [];
  for (let n = 0; n < samples; n++) {
    for (const kind of queryKinds) plan.push({ kind, params: queryParams(kind, draw) });
  }
  return plan;
}

/** The walks deep paging makes: the default queue, by received time, and filtered queues of either sort. */
export const pagingWalks: readonly QueryParams[] = [
  [],
  [['sort', 'received']],
  [
    ['tier', 'P3'],
    ['tier', 'P4'],
  ],
  [
    ['tier', 'P2'],
    ['sort', 'received'],
  ],
  [['country', 'NL']],
  [
    ['country', 'DE'],
    ['sort', 'received'],
  ],
  [['status', 'in_progress']],
  [['novelty', 'new']],
  [['partner', 'tipline-nl']],
  [
    ['inJurisdiction', 'true'],
    ['sort', 'received'],
  ],
];

/** `a=1&b=2`, values encoded. */
export function queryString(params: QueryParams): string {
  return params.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
}
