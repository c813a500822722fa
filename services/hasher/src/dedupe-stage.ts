import { assignCluster, recordSighting, sightingKey } from '@triage/dedupe';
import type { GlobalTable, KeyedStateStore, RecordHandler } from '@triage/messaging';
import type { Codec, Dedupe, HashedItem, Media, MediaSighting, MediaSummary } from '@triage/schemas';

/** The PDQ index of every file seen so far (near-duplicate search), keyed by sha256. */
export interface MediaPdqIndex {
  add(sha256: string, pdq: string): void;
  /** Files within `maxDistance` of any of the variants, with their best distance. */
  query(variants: readonly string[], maxDistance: number): { sha256: string; distance: number }[];
}

export interface DedupeStageDeps {
  codec: Codec;
  summaries: KeyedStateStore<MediaSummary>;
  sightings: KeyedStateStore<MediaSighting>;
  /** media.v1, materialised in this instance. */
  media: GlobalTable<Media>;
  mediaIndex: MediaPdqIndex;
  pdqMatchDistance: number;
  pdqMinQuality: number;
  /** Deployed topic names. */
  topics: { itemsHashed: string; media: string };
}

/**
 * media.observed (key sha256) -> items.hashed (key reportId) with seen-before facts.
 * Every sighting of one file lands on one partition, so its count and first sighting are exact;
 * the file's near-duplicate cluster is decided once, when it is first seen, and published to
 * media.v1 so every instance (and any replay) reuses the same answer.
 */
export interface DedupeStage {
  handle: RecordHandler;
  /** Wire to media.v1's table: a file read back from the topic no longer needs the local copy. */
  onMediaRead(sha256: string): void;
}

export function createDedupeStage(deps: DedupeStageDeps): DedupeStage {
  // Media this instance decided but has not yet read back from media.v1.
  const decided = new Map<string, Media>();
  const mediaOf = (sha256: string) => deps.media.get(sha256) ?? decided.get(sha256);

  const handle: RecordHandler = async (record) => {
    const hashed = deps.codec.decode('HashedItem', record.value ?? Buffer.alloc(0));
    const { item, hashes } = hashed;
    const sha256 = item.sha256 ?? record.key ?? '';
    const key = sightingKey(sha256, item.reportId);
    const outcome = recordSighting(
      deps.summaries.get(record.partition, sha256),
      deps.sightings.get(record.partition, key),
      {
        sha256,
        reportId: item.reportId,
        itemId: item.itemId,
        receivedAt: item.receivedAt,
      },
    );
    if (outcome.isNewReport) {
      deps.summaries.put(record.partition, sha256, outcome.summary);
      deps.sightings.put(record.partition, key, outcome.sighting);
    }

    const outputs = [];
    let media = mediaOf(sha256);
    if (!media) {
      const usable = hashes?.pdq && (hashes.pdqQuality ?? 0) >= deps.pdqMinQuality ? hashes : null;
      const neighbours = usable
        ? deps.mediaIndex
            .query(variantsOf(usable.pdq!, usable.pdqDihedral), deps.pdqMatchDistance)
            .flatMap((hit) => {
              const clusterId = mediaOf(hit.sha256)?.clusterId;
              return clusterId ? [{ sha256: hit.sha256, clusterId, distance: hit.distance }] : [];
            })
        : [];
      const cluster = usable
        ? assignCluster(
            sha256,
            neighbours,
            (member) => mediaOf(member)?.firstSeenAt ?? Number.POSITIVE_INFINITY,
          )
        : { clusterId: null, nearestSha256: null, nearestDistance: null };
      media = {
        sha256,
        pdq: hashes?.pdq ?? null,
        pdqQuality: hashes?.pdqQuality ?? null,
        firstSeenReportId: outcome.summary.firstSeenReportId,
        firstSeenItemId: outcome.summary.firstSeenItemId,
        firstSeenAt: outcome.summary.firstSeenAt,
        ...cluster,
      };
      decided.set(sha256, media);
      if (usable) deps.mediaIndex.add(sha256, usable.pdq!);
      outputs.push({ topic: deps.topics.media, key: sha256, value: deps.codec.encode('Media', media) });
    }

    const dedupe: Dedupe = {
      firstSeenReportId: outcome.sighting.firstSeenReportId,
      firstSeenAt: outcome.sighting.firstSeenAt,
      reportCount: outcome.sighting.ordinal,
      nearDuplicateClusterId: media.clusterId,
      nearestSha256: media.nearestSha256,
      nearestDistance: media.nearestDistance,
    };
    const result: HashedItem = { ...hashed, dedupe };
    outputs.push({
      topic: deps.topics.itemsHashed,
      key: item.reportId,
      value: deps.codec.encode('HashedItem', result),
    });
    return outputs;
  };
  return { handle, onMediaRead: (sha256) => decided.delete(sha256) };
}

/** The original hash first, then its dihedral variants (which include it; duplicates are harmless). */
function variantsOf(pdq: string, dihedral: readonly string[]): string[] {
  return dihedral.length > 0 ? [...dihedral] : [pdq];
}
