// The hash look-up's Elasticsearch half: at most five searches, each capped (hashLookupLimits).
import { parsePdqHash, pdqDistance } from '@triage/matching';
import { alias, run, type SearchDeps } from './case-store.ts';
import {
  clusterMembersRequest,
  type HashLookup,
  hashLookupLimits,
  itemsRequest,
  mediaBySha256Request,
  mediaMatchRequest,
  reportCasesRequest,
} from './hash-query.ts';

type Source = Record<string, unknown>;

/** A matched file: its media document (every hash, cluster, first sighting, sightings) and, for PDQ, its distance. */
type MatchedMedia = Source & { sha256: string; distance: number | null };

/** Which cap a look-up reached (then it says `truncated: true`). */
type HashLookupCap = 'pdqCandidates' | 'media' | 'items' | 'clusterMembers';

export interface HashLookupAnswer {
  query: HashLookup;
  /** Nearest first for PDQ (then by sha256); by sha256 for an exact hash. */
  media: MatchedMedia[];
  /** Items carrying a matched file or the hash, by report then item; `distance` for PDQ. */
  items: Source[];
  /** The reports of those items: which of the items each carries, and its case summary (null: not scored yet). */
  reports: { reportId: string; itemIds: string[]; case: Source | null }[];
  /** Per cluster of the matched files: its other files (not themselves matched). */
  clusters: { clusterId: string; members: Source[] }[];
  truncated: boolean;
  truncatedBy: HashLookupCap[];
}

async function search(deps: SearchDeps, id: 'media' | 'items' | 'cases', request: object): Promise<Source[]> {
  const response = await run(`look up a hash in ${id}`, () =>
    deps.client.search({ index: alias(deps, id), ...request }),
  );
  return response.hits.hits.map((hit) => hit._source as Source);
}

/** The first `limit` of `rows`, noting `cap` when there were more (requests ask for one more). */
function capped<T>(rows: T[], limit: number, cap: HashLookupCap, reached: HashLookupCap[]): T[] {
  if (rows.length <= limit) return rows;
  reached.push(cap);
  return rows.slice(0, limit);
}

/** A PDQ's distance from the query (null when it has none, or a malformed one). */
function distanceFrom(query: Uint32Array) {
  const scratch = new Uint32Array(8);
  return (pdq: unknown): number | null => {
    if (typeof pdq !== 'string' || pdq.length !== 64) return null;
    try {
      return pdqDistance(query, parsePdqHash(pdq, scratch));
    } catch {
      return null;
    }
  };
}

/** The files the look-up matches: exact by field, or PDQ candidates by segment kept within the distance. */
async function matchMedia(
  deps: SearchDeps,
  lookup: HashLookup,
  reached: HashLookupCap[],
): Promise<MatchedMedia[]> {
  const hits = await search(deps, 'media', mediaMatchRequest(lookup));
  if (lookup.type !== 'pdq') {
    return capped(hits, hashLookupLimits.media, 'media', reached).map((hit) => ({
      ...(hit as MatchedMedia),
      distance: null,
    }));
  }
  const distance = distanceFrom(parsePdqHash(lookup.value));
  const near = capped(hits, hashLookupLimits.pdqCandidates, 'pdqCandidates', reached)
    .map((hit) => ({ sha256: String(hit.sha256), distance: distance(hit.pdq) }))
    .filter(
      (hit): hit is { sha256: string; distance: number } =>
        hit.distance !== null && hit.distance <= lookup.distance,
    )
    .sort((a, b) => a.distance - b.distance || (a.sha256 < b.sha256 ? -1 : 1));
  const kept = capped(near, hashLookupLimits.media, 'media', reached);
  if (kept.length === 0) return [];
  const documents = new Map(
    (await search(deps, 'media', mediaBySha256Request(kept.map((hit) => hit.sha256)))).map((doc) => [
      doc.sha256,
      doc,
    ]),
  );
  return kept.flatMap((hit) => {
    const document = documents.get(hit.sha256);
    return document === undefined ? [] : [{ ...document, sha256: hit.sha256, distance: hit.distance }];
  });
}

/**
 * Every file and item carrying the hash (PDQ: within the distance), their reports with a case
 * summary, and the other files of the matched files' clusters. Bounded: at most five searches of
 * at most `hashLookupLimits` documents each; a cap reached says so in `truncatedBy`.
 */
export async function lookupHash(deps: SearchDeps, lookup: HashLookup): Promise<HashLookupAnswer> {
  const reached: HashLookupCap[] = [];
  const media = await matchMedia(deps, lookup, reached);
  const sha256s = media.map((file) => file.sha256);
  const pdqs = [...new Set(media.flatMap((file) => (typeof file.pdq === 'string' ? [file.pdq] : [])))];
  const clusterIds = [
    ...new Set(media.flatMap((file) => (typeof file.clusterId === 'string' ? [file.clusterId] : []))),
  ];
  const exactOrFound = lookup.type !== 'pdq' || sha256s.length > 0;
  const none: Source[] = [];
  const [itemHits, memberHits] = await Promise.all([
    exactOrFound ? search(deps, 'items', itemsRequest(lookup, sha256s, pdqs)) : none,
    clusterIds.length > 0 ? search(deps, 'media', clusterMembersRequest(clusterIds, sha256s)) : none,
  ]);
  const distance = lookup.type === 'pdq' ? distanceFrom(parsePdqHash(lookup.value)) : () => null;
  const items = capped(itemHits, hashLookupLimits.items, 'items', reached).map(
    (item): Source => ({
      ...item,
      distance: distance(item.pdq),
    }),
  );
  const members = capped(memberHits, hashLookupLimits.clusterMembers, 'clusterMembers', reached);

  const itemIdsByReport = new Map<string, string[]>();
  for (const item of items) {
    const reportId = String(item.reportId);
    itemIdsByReport.set(reportId, [...(itemIdsByReport.get(reportId) ?? []), String(item.itemId)]);
  }
  const reportIds = [...itemIdsByReport.keys()];
  const cases = reportIds.length === 0 ? [] : await search(deps, 'cases', reportCasesRequest(reportIds));
  const caseByReport = new Map(cases.map((found) => [found.reportId, found]));

  return {
    query: lookup,
    media,
    items,
    reports: reportIds.map((reportId) => ({
      reportId,
      itemIds: itemIdsByReport.get(reportId) ?? [],
      case: caseByReport.get(reportId) ?? null,
    })),
    clusters: clusterIds.map((clusterId) => ({
      clusterId,
      members: members.filter((member) => member.clusterId === clusterId),
    })),
    truncated: reached.length > 0,
    truncatedBy: reached,
  };
}
