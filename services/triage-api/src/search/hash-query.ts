// The hash look-up's pure half: what the caller asked for (type inferred or given, value
// normalised, PDQ distance checked against the cap) and the Elasticsearch requests that answer it.
import { TriageError } from '@triage/errors';
import { pdqSegmentMaxDistance, pdqSegmentTerms } from '@triage/search';

export const hashTypes = ['md5', 'sha1', 'sha256', 'pdq'] as const;
type HashType = (typeof hashTypes)[number];

/** Hex digits of each type. SHA-256 and PDQ are both 64: a 64-digit value needs its type named. */
const hexLength: Record<HashType, number> = { md5: 32, sha1: 40, sha256: 64, pdq: 64 };

/** The caps that keep one look-up's work bounded whatever the input (see the README). */
export const hashLookupLimits = {
  /** Matched files returned (nearest first for PDQ). */
  media: 100,
  /** PDQ candidates fetched by segment before the exact distance is computed. */
  pdqCandidates: 1_000,
  /** Items returned (those carrying a matched file or the hash itself). */
  items: 500,
  /** Cluster members returned, over all clusters of the matched files. */
  clusterMembers: 500,
  /** Largest PDQ distance the segment search guarantees to find every hash within. */
  maxPdqDistance: pdqSegmentMaxDistance,
} as const;

/** What the caller sent: the path value and the optional `type` and `distance` parameters. */
export interface HashLookupInput {
  value: string;
  type?: HashType | undefined;
  distance?: number | undefined;
}

/** A validated look-up: the type, the lower-case hex value, and the distance (0 unless PDQ). */
export interface HashLookup {
  type: HashType;
  value: string;
  distance: number;
}

const invalid = (message: string, pointer: string) =>
  new TriageError('TRIAGE_HASH_LOOKUP_INVALID', message, { pointer });

/** `md5:…` / `sha1:…` / `sha256:…` / `pdq:…` (any case): the prefix's type and the rest. */
function splitPrefix(value: string): { type: HashType | null; hex: string } {
  const colon = value.indexOf(':');
  if (colon === -1) return { type: null, hex: value };
  const prefix = value.slice(0, colon).toLowerCase();
  const type = hashTypes.find((name) => name === prefix);
  if (type === undefined) {
    throw invalid(`Unknown hash prefix; use one of ${hashTypes.join(', ')}`, '/params/value');
  }
  return { type, hex: value.slice(colon + 1) };
}

function inferType(hex: string): HashType {
  const byLength = hashTypes.filter((type) => hexLength[type] === hex.length);
  if (byLength.length > 1) {
    throw new TriageError(
      'TRIAGE_HASH_TYPE_AMBIGUOUS',
      'A 64-digit value is either a SHA-256 or a PDQ hash: say which with `type=sha256|pdq` or a `sha256:` / `pdq:` prefix',
      { pointer: '/querystring/type' },
    );
  }
  const [type] = byLength;
  if (type === undefined) {
    throw invalid('A hash is 32 (MD5), 40 (SHA-1) or 64 (SHA-256, PDQ) hex digits', '/params/value');
  }
  return type;
}

/**
 * The look-up the caller means. The type comes from `type`, a prefix of the value, or (MD5 and
 * SHA-1 only) the value's length; a 64-digit value without either is ambiguous. Throws
 * TRIAGE_HASH_LOOKUP_INVALID (not hex of the type's length, unknown prefix, prefix and `type`
 * disagree, a distance for an exact hash), TRIAGE_HASH_TYPE_AMBIGUOUS or
 * TRIAGE_HASH_DISTANCE_TOO_LARGE (a PDQ distance above `maxPdqDistance`).
 */
export function parseHashLookup(input: HashLookupInput, maxPdqDistance: number): HashLookup {
  const { type, value } = parseHashValue(input);
  const distance = input.distance ?? 0;
  if (type !== 'pdq' && distance !== 0) {
    throw invalid(`distance applies to PDQ only; a ${type} hash matches exactly`, '/querystring/distance');
  }
  if (distance > maxPdqDistance) {
    throw new TriageError(
      'TRIAGE_HASH_DISTANCE_TOO_LARGE',
      `distance is at most ${maxPdqDistance} (Hamming distance over 256 bits)`,
      { pointer: '/querystring/distance' },
    );
  }
  return { type, value, distance };
}

/** The type and lower-case value of the look-up, the distance aside. */
function parseHashValue(input: HashLookupInput): Omit<HashLookup, 'distance'> {
  const { type: prefixed, hex } = splitPrefix(input.value);
  if (prefixed !== null && input.type !== undefined && prefixed !== input.type) {
    throw invalid(`The prefix says ${prefixed} but type says ${input.type}`, '/querystring/type');
  }
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw invalid('A hash value is hex digits only', '/params/value');
  const type = prefixed ?? input.type ?? inferType(hex);
  if (hex.length !== hexLength[type]) {
    throw invalid(`A ${type} hash is ${hexLength[type]} hex digits`, '/params/value');
  }
  return { type, value: hex.toLowerCase() };
}

/**
 * The audit target's id: `<type>:<value>` of the hash looked up (whatever the distance), or
 * `unknown:<value as sent>` for a value that is not a hash of a known type (the route's schema
 * bounds its length).
 */
export function hashTargetId(input: HashLookupInput): string {
  try {
    const { type, value } = parseHashValue(input);
    return `${type}:${value}`;
  } catch {
    return `unknown:${input.value}`;
  }
}

/** Media fields never sent back: the segments are an index device, the report list is the items'. */
const mediaSourceExcludes = ['pdqSegments', 'reportIds'];

/**
 * The first media search. Exact types: the files whose hash field is the value (one for SHA-256).
 * PDQ: the candidates sharing a segment term (see `pdqSegmentTerms`), fetched as sha256 and pdq
 * only, scored so that exact segment hits (2) outrank one-bit neighbours (1): when more than
 * `pdqCandidates` share a term, the kept ones are those sharing the most. One more than the cap is
 * asked for, so the caller knows whether it was reached.
 */
export function mediaMatchRequest(lookup: HashLookup) {
  if (lookup.type !== 'pdq') {
    return {
      query: { term: { [lookup.type]: lookup.value } },
      sort: [{ sha256: 'asc' as const }],
      size: hashLookupLimits.media + 1,
      _source: { excludes: mediaSourceExcludes },
    };
  }
  const { exact, neighbours } = pdqSegmentTerms(lookup.value, lookup.distance);
  const clause = (value: string, boost: number) => ({
    constant_score: { filter: { term: { pdqSegments: value } }, boost },
  });
  return {
    query: {
      bool: {
        should: [...exact.map((value) => clause(value, 2)), ...neighbours.map((value) => clause(value, 1))],
        minimum_should_match: 1,
      },
    },
    sort: [{ _score: 'desc' as const }, { sha256: 'asc' as const }],
    size: hashLookupLimits.pdqCandidates + 1,
    _source: { includes: ['sha256', 'pdq'] },
  };
}

/** The matched PDQ files' documents, by sha256 (at most `media` of them). */
export function mediaBySha256Request(sha256s: readonly string[]) {
  return {
    query: { terms: { sha256: [...sha256s] } },
    size: sha256s.length,
    _source: { excludes: mediaSourceExcludes },
  };
}

/**
 * The items carrying a matched file (by sha256) or the hash itself (an exact hash on the item,
 * or for PDQ a matched file's PDQ): one more than the cap, in report and item order.
 */
export function itemsRequest(lookup: HashLookup, sha256s: readonly string[], pdqs: readonly string[]) {
  const should: object[] = [];
  if (sha256s.length > 0) should.push({ terms: { sha256: [...sha256s] } });
  if (lookup.type !== 'pdq') should.push({ term: { [lookup.type]: lookup.value } });
  else if (pdqs.length > 0) should.push({ terms: { pdq: [...pdqs] } });
  return {
    query: { bool: { should, minimum_should_match: 1 } },
    sort: [{ reportId: 'asc' as const }, { itemId: 'asc' as const }],
    size: hashLookupLimits.items + 1,
    _source: ['itemId', 'reportId', 'sha256', 'md5', 'sha1', 'pdq', 'kind', 'receivedAt', 'matches'],
  };
}

/** The other files of the matched files' clusters: one more than the cap, by cluster then sha256. */
export function clusterMembersRequest(clusterIds: readonly string[], matched: readonly string[]) {
  return {
    query: {
      bool: {
        filter: [{ terms: { clusterId: [...clusterIds] } }],
        must_not: [{ terms: { sha256: [...matched] } }],
      },
    },
    sort: [{ clusterId: 'asc' as const }, { sha256: 'asc' as const }],
    size: hashLookupLimits.clusterMembers + 1,
    _source: { excludes: mediaSourceExcludes },
  };
}

/** The cases of the reports the items belong to: a summary each (no report text, no reasons). */
export function reportCasesRequest(reportIds: readonly string[]) {
  return {
    query: { bool: { filter: [{ terms: { reportId: [...reportIds] } }, { term: { hasCase: true } }] } },
    size: reportIds.length,
    _source: [
      'reportId',
      'tier',
      'score',
      'provisional',
      'report.partnerId',
      'report.receivedAt',
      'report.incidentType',
      'triage.status',
      'triage.assignee',
    ],
  };
}
