// The hash-check's pure half: what a hoster may ask (the plan) and what it is told (the answers).
import { TriageError } from '@triage/errors';
import type { IndexedType, KnownHashHit } from '@triage/hash-lists';

/** Hash types a hoster sends, as the API spells them. */
export const checkHashTypes = ['md5', 'sha1', 'sha256', 'pdq'] as const;
type CheckHashType = (typeof checkHashTypes)[number];

/**
 * Fields a batch may ask for. Only `category` can ever be given (and only if the policy says so);
 * the others exist so that asking for them is refused with a code, not silently ignored.
 */
export const includeFields = ['category', 'label', 'listName', 'reportId', 'distance'] as const;
type IncludeField = (typeof includeFields)[number];

export interface CheckRequestBody {
  hashes: readonly { type: CheckHashType; value: string }[];
  lists?: readonly string[] | undefined;
  pdqDistance?: number | undefined;
  include?: readonly IncludeField[] | undefined;
}

/** What a hoster may do: from its hosters-file entry. */
export interface HosterPolicy {
  /** Lists it may check, in priority order (the category of a hit comes from the first). */
  lists: readonly string[];
  pdqMaxDistance: number;
  category: boolean;
}

export interface CheckLimits {
  maxBatch: number;
  /** The service's cap on any PDQ distance, above every hoster's own. */
  maxPdqDistance: number;
}

/** One hash to look up, as the index takes it. */
interface CheckQuery {
  type: IndexedType;
  value: string;
}

/** A validated batch: the lookups, the lists they count against, the distance, the fields to give. */
export interface CheckPlan {
  queries: CheckQuery[];
  lists: readonly string[];
  pdqDistance: number;
  withCategory: boolean;
}

/** One answer per hash, in batch order. */
export interface CheckAnswer {
  match: boolean;
  /** Only when the policy gives categories and the batch asked for them (null: uncategorised). */
  category?: number | null;
}

const requestFields = new Set(['hashes', 'lists', 'pdqDistance', 'include']);

const indexedTypeOf: Record<CheckHashType, IndexedType> = {
  md5: 'MD5',
  sha1: 'SHA1',
  sha256: 'SHA256',
  pdq: 'PDQ',
};
const hexLength: Record<CheckHashType, number> = { md5: 32, sha1: 40, sha256: 64, pdq: 64 };
const hexDigits = /^[0-9a-fA-F]+$/;

/**
 * Checks a batch against the hoster's policy and the service's limits, in this order: unknown
 * fields (403 TRIAGE_HASH_CHECK_FIELD_REFUSED), size (413 TRIAGE_HASH_CHECK_BATCH_TOO_LARGE),
 * asked-for fields (403 TRIAGE_HASH_CHECK_FIELD_REFUSED), rights
 * (403 TRIAGE_AUTH_FORBIDDEN: no list, or a list it may not check), distance (400
 * TRIAGE_HASH_DISTANCE_TOO_LARGE), then every hash (422 TRIAGE_HASH_CHECK_HASH_INVALID, the
 * first bad one named). Nothing is looked up unless the whole batch passes.
 */
export function planCheck(body: CheckRequestBody, policy: HosterPolicy, limits: CheckLimits): CheckPlan {
  // A field the API does not have (`labels: true`, `withReportIds`...) is refused, never ignored:
  // the hoster learns that it asked for more than an answer gives.
  const unknown = Object.keys(body).find((field) => !requestFields.has(field));
  if (unknown !== undefined) {
    throw new TriageError(
      'TRIAGE_HASH_CHECK_FIELD_REFUSED',
      `${unknown} is not a field of a batch: an answer is match or no match`,
      { pointer: `/body/${unknown}` },
    );
  }
  if (body.hashes.length > limits.maxBatch) {
    throw new TriageError(
      'TRIAGE_HASH_CHECK_BATCH_TOO_LARGE',
      `a batch holds at most ${limits.maxBatch} hashes, this one ${body.hashes.length}`,
      { pointer: '/body/hashes' },
    );
  }
  const include = body.include ?? [];
  include.forEach((field, index) => {
    if (field === 'category' && policy.category) return;
    throw new TriageError(
      'TRIAGE_HASH_CHECK_FIELD_REFUSED',
      field === 'category'
        ? 'this hoster policy gives no categories'
        : `${field} is never given: an answer is match or no match`,
      { pointer: `/body/include/${index}` },
    );
  });
  if (policy.lists.length === 0)
    throw new TriageError('TRIAGE_AUTH_FORBIDDEN', 'this hoster key may not check any list');
  const lists = body.lists ?? policy.lists;
  lists.forEach((list, index) => {
    if (!policy.lists.includes(list)) {
      throw new TriageError('TRIAGE_AUTH_FORBIDDEN', 'this hoster key may not check that list', {
        pointer: `/body/lists/${index}`,
      });
    }
  });
  const allowedDistance = Math.min(policy.pdqMaxDistance, limits.maxPdqDistance);
  const pdqDistance = body.pdqDistance ?? allowedDistance;
  if (pdqDistance > allowedDistance) {
    throw new TriageError(
      'TRIAGE_HASH_DISTANCE_TOO_LARGE',
      `pdqDistance is at most ${allowedDistance} here`,
      {
        pointer: '/body/pdqDistance',
      },
    );
  }
  const queries = body.hashes.map(({ type, value }, index) => {
    if (value.length !== hexLength[type] || !hexDigits.test(value)) {
      throw new TriageError(
        'TRIAGE_HASH_CHECK_HASH_INVALID',
        `a ${type} hash is ${hexLength[type]} hex digits`,
        { pointer: `/body/hashes/${index}/value` },
      );
    }
    return { type: indexedTypeOf[type], value: value.toLowerCase() };
  });
  // Priority order is the policy's, whatever order the batch named the lists in.
  const ordered = policy.lists.filter((list) => lists.includes(list));
  return { queries, lists: ordered, pdqDistance, withCategory: include.includes('category') };
}

/** Looks one hash up in every list (the index's `lookup`). */
export type HashLookup = (type: IndexedType, value: string, maxDistance: number) => readonly KnownHashHit[];

/**
 * The answers of a planned batch. Every hash is looked up, in full, whatever came before it (no
 * early exit), so the work done does not depend on which hashes match. A hit counts when its
 * list is one the batch checks and its category is not 0 (a list's "non-pertinent" verdict: a
 * hoster must not delete what the list says is harmless). Nothing of the entry leaves but the
 * category, and that only when planned.
 */
export function answerCheck(plan: CheckPlan, lookup: HashLookup): CheckAnswer[] {
  return plan.queries.map(({ type, value }) => {
    const hits = lookup(type, value, type === 'PDQ' ? plan.pdqDistance : 0);
    let best: KnownHashHit | undefined;
    let bestRank = plan.lists.length;
    for (const hit of hits) {
      const rank = plan.lists.indexOf(hit.listName);
      if (rank === -1 || hit.category === 0) continue;
      if (rank < bestRank) {
        best = hit;
        bestRank = rank;
      }
    }
    if (!best) return { match: false };
    return plan.withCategory ? { match: true, category: best.category } : { match: true };
  });
}

/** Counts per hash type and matches, for the audit event and the request log (never a hash). */
export function describeBatch(plan: CheckPlan, answers: readonly CheckAnswer[]): string {
  const counts: Record<IndexedType, number> = { MD5: 0, SHA1: 0, SHA256: 0, PDQ: 0 };
  for (const query of plan.queries) counts[query.type]++;
  const matches = answers.filter((answer) => answer.match).length;
  return [
    `hashes=${plan.queries.length}`,
    `md5=${counts.MD5}`,
    `sha1=${counts.SHA1}`,
    `sha256=${counts.SHA256}`,
    `pdq=${counts.PDQ}`,
    `pdqDistance=${plan.pdqDistance}`,
    `lists=${plan.lists.join(',')}`,
    `matches=${matches}`,
  ].join('&');
}
