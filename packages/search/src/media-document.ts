import { isTriageError } from '@triage/errors';
import type { EnrichedItem, Media } from '@triage/schemas';
import { pdqSegments } from './pdq-segments.ts';

/** How many report ids a media document lists; `sightings` keeps counting past it. */
export const mediaReportIdLimit = 1_000;

/** A media document: one per distinct file (sha256). */
export interface MediaDocument {
  sha256: string;
  md5: string | null;
  sha1: string | null;
  pdq: string | null;
  /** The PDQ hash's 16 position-prefixed 16-bit segments (`pdqSegments`): near search without scripts. */
  pdqSegments: string[];
  pdqQuality: number | null;
  clusterId: string | null;
  nearestSha256: string | null;
  nearestDistance: number | null;
  firstSeenReportId: string | null;
  firstSeenItemId: string | null;
  firstSeenAt: number | null;
  /** Distinct reports that carried the file, as the dedupe stage counted them (the largest count seen). */
  sightings: number;
  /** Reports seen carrying it here, sorted, at most `mediaReportIdLimit`. */
  reportIds: string[];
  reportIdsTruncated: boolean;
}

/** What one batch brought for a file: its media.v1 record and the items that carry it. */
export interface MediaChanges {
  sha256: string;
  media: Media | null;
  items: EnrichedItem[];
}

/**
 * Merges a batch's changes into the stored document (null: none yet). Every step is a max or a
 * union, so the order records come in, and records applied twice, do not change the result.
 */
export function mergeMediaDocument(current: MediaDocument | null, changes: MediaChanges): MediaDocument {
  let next: MediaDocument = current ?? emptyMedia(changes.sha256);
  const { media } = changes;
  if (media !== null) {
    next = {
      ...next,
      pdq: media.pdq ?? next.pdq,
      pdqQuality: media.pdqQuality ?? next.pdqQuality,
      clusterId: media.clusterId ?? next.clusterId,
      nearestSha256: media.nearestSha256 ?? next.nearestSha256,
      nearestDistance: media.nearestDistance ?? next.nearestDistance,
    };
    next = firstSeen(next, media.firstSeenReportId, media.firstSeenItemId, media.firstSeenAt);
  }
  const reportIds = new Set(next.reportIds);
  let truncated = next.reportIdsTruncated;
  for (const { item, hashes, dedupe } of changes.items) {
    next = {
      ...next,
      md5: hashes?.md5 ?? next.md5,
      sha1: hashes?.sha1 ?? next.sha1,
      pdq: next.pdq ?? hashes?.pdq ?? null,
      pdqQuality: next.pdqQuality ?? hashes?.pdqQuality ?? null,
      clusterId: next.clusterId ?? dedupe?.nearDuplicateClusterId ?? null,
      sightings: Math.max(next.sightings, dedupe?.reportCount ?? 0),
    };
    if (dedupe !== null) next = firstSeen(next, dedupe.firstSeenReportId, null, dedupe.firstSeenAt);
    if (reportIds.size < mediaReportIdLimit) reportIds.add(item.reportId);
    else if (!reportIds.has(item.reportId)) truncated = true;
  }
  const sorted = [...reportIds].sort();
  return {
    ...next,
    pdqSegments: next.pdq === null ? [] : segmentsOrNone(next.pdq),
    reportIds: sorted,
    reportIdsTruncated: truncated,
    sightings: Math.max(next.sightings, sorted.length),
  };
}

/** The earliest sighting wins (ties: the smaller report id), whichever record tells it first. */
function firstSeen(doc: MediaDocument, reportId: string, itemId: string | null, at: number): MediaDocument {
  const earlier =
    doc.firstSeenAt === null ||
    at < doc.firstSeenAt ||
    (at === doc.firstSeenAt && doc.firstSeenReportId !== null && reportId < doc.firstSeenReportId);
  if (earlier) return { ...doc, firstSeenAt: at, firstSeenReportId: reportId, firstSeenItemId: itemId };
  if (reportId === doc.firstSeenReportId && doc.firstSeenItemId === null && itemId !== null) {
    return { ...doc, firstSeenItemId: itemId };
  }
  return doc;
}

/**
 * A malformed PDQ (no producer should write one) leaves the file without segments: it is still
 * indexed and found by every exact hash, just not by a near search, rather than dead-lettered.
 */
function segmentsOrNone(pdq: string): string[] {
  try {
    return pdqSegments(pdq);
  } catch (error) {
    if (isTriageError(error) && error.code === 'TRIAGE_HASH_INVALID') return [];
    throw error;
  }
}

function emptyMedia(sha256: string): MediaDocument {
  return {
    sha256,
    md5: null,
    sha1: null,
    pdq: null,
    pdqSegments: [],
    pdqQuality: null,
    clusterId: null,
    nearestSha256: null,
    nearestDistance: null,
    firstSeenReportId: null,
    firstSeenItemId: null,
    firstSeenAt: null,
    sightings: 0,
    reportIds: [],
    reportIdsTruncated: false,
  };
}
