import type { Dedupe, Hashes, Media, MediaSighting, MediaSummary } from '@triage/schemas';
import { assignCluster, type ClusterAssignment } from './clusters.ts';
import { recordSighting, type SightingOutcome } from './sightings.ts';

/** One file item as the dedupe decision sees it: which report carried which stored file, and its hashes. */
export interface ObservedFile {
  sha256: string;
  reportId: string;
  itemId: string;
  receivedAt: number;
  /** Null when the stored bytes were missing: the file is counted but joins no cluster. */
  hashes: Hashes | null;
}

/** What the decision reads of the state so far (the hasher: state stores, media table, PDQ index). */
export interface DedupeLookups {
  /** The file's summary: first sighting and report count. */
  summary(sha256: string): MediaSummary | undefined;
  /** This report's sighting of the file, when it was already counted. */
  sighting(sha256: string, reportId: string): MediaSighting | undefined;
  /** The file's media record (its cluster), when already decided. */
  media(sha256: string): Media | undefined;
  /** Files already placed within `maxDistance` of any of the variants, with their best distance. */
  nearby(variants: readonly string[], maxDistance: number): readonly { sha256: string; distance: number }[];
}

export interface DedupeOptions {
  /** Largest PDQ distance that makes two files near duplicates (Meta: 31). */
  pdqMatchDistance: number;
  /** PDQ quality below which a hash neither joins nor founds a cluster (Meta: 50). */
  pdqMinQuality: number;
}

export interface DedupeOutcome {
  /** The item's seen-before facts. */
  dedupe: Dedupe;
  /** Store `summary` and `sighting` when `isNewReport`. */
  sighting: SightingOutcome;
  /** The file's media record, decided by this call (the file was not decided before): store and publish it. */
  decided: Media | null;
  /** The PDQ to add to the near-duplicate index with `decided`; null when absent or too weak. */
  indexPdq: string | null;
}

/**
 * The seen-before facts of one file item, given the state so far: the report is counted as a
 * sighting (`recordSighting`), and a file not decided before is placed in a near-duplicate cluster
 * (`assignCluster`) among the files already placed. The hasher's dedupe stage and `triage explain`
 * both call this, item by item in the order they process them; the answers depend on that order
 * (ordinals, which file founds a cluster), never on anything else.
 */
export function dedupeFile(file: ObservedFile, state: DedupeLookups, options: DedupeOptions): DedupeOutcome {
  const sighting = recordSighting(state.summary(file.sha256), state.sighting(file.sha256, file.reportId), {
    sha256: file.sha256,
    reportId: file.reportId,
    itemId: file.itemId,
    receivedAt: file.receivedAt,
  });
  let media = state.media(file.sha256);
  let decided: Media | null = null;
  let indexPdq: string | null = null;
  if (!media) {
    const { hashes } = file;
    const usable = hashes?.pdq && (hashes.pdqQuality ?? 0) >= options.pdqMinQuality ? hashes : null;
    const cluster = usable
      ? placeInCluster(file.sha256, usable, state, options)
      : { clusterId: null, nearestSha256: null, nearestDistance: null };
    media = {
      sha256: file.sha256,
      pdq: hashes?.pdq ?? null,
      pdqQuality: hashes?.pdqQuality ?? null,
      firstSeenReportId: sighting.summary.firstSeenReportId,
      firstSeenItemId: sighting.summary.firstSeenItemId,
      firstSeenAt: sighting.summary.firstSeenAt,
      ...cluster,
    };
    decided = media;
    indexPdq = usable?.pdq ?? null;
  }
  return {
    dedupe: {
      firstSeenReportId: sighting.sighting.firstSeenReportId,
      firstSeenAt: sighting.sighting.firstSeenAt,
      reportCount: sighting.sighting.ordinal,
      nearDuplicateClusterId: media.clusterId,
      nearestSha256: media.nearestSha256,
      nearestDistance: media.nearestDistance,
    },
    sighting,
    decided,
    indexPdq,
  };
}

/** Neighbours already placed (with their clusters), then the cluster choice. */
function placeInCluster(
  sha256: string,
  hashes: Hashes,
  state: DedupeLookups,
  options: DedupeOptions,
): ClusterAssignment {
  // The 8 dihedral variants (the original among them), so rotated and mirrored copies are found.
  const variants = hashes.pdqDihedral.length > 0 ? hashes.pdqDihedral : [hashes.pdq!];
  const neighbours = state.nearby(variants, options.pdqMatchDistance).flatMap((hit) => {
    const clusterId = state.media(hit.sha256)?.clusterId;
    return clusterId ? [{ sha256: hit.sha256, clusterId, distance: hit.distance }] : [];
  });
  return assignCluster(
    sha256,
    neighbours,
    (member) => state.media(member)?.firstSeenAt ?? Number.POSITIVE_INFINITY,
  );
}
