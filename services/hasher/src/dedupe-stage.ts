import { dedupeFile, sightingKey } from '@triage/dedupe';
import type { KeyedStore, MaterialisedTable, RecordHandler } from '@triage/messaging';
import type { Codec, HashedItem, Media, MediaSighting, MediaSummary } from '@triage/schemas';

/** The PDQ index of every file seen so far (near-duplicate search), keyed by sha256. */
interface MediaPdqIndex {
  add(sha256: string, pdq: string): void;
  /** Files within `maxDistance` of any of the variants, with their best distance. */
  query(variants: readonly string[], maxDistance: number): { sha256: string; distance: number }[];
}

export interface DedupeStageDeps {
  codec: Codec;
  summaries: KeyedStore<MediaSummary>;
  sightings: KeyedStore<MediaSighting>;
  /** media.v1, materialised in this instance (on disk or in memory). */
  media: Pick<MaterialisedTable<Media>, 'get'>;
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
 * media.v1 so every instance (and any replay) reuses the same answer. The decision itself is
 * `dedupeFile` of @triage/dedupe (which `triage explain` runs too); this is its adapter.
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
    const outcome = dedupeFile(
      { sha256, reportId: item.reportId, itemId: item.itemId, receivedAt: item.receivedAt, hashes },
      {
        summary: (file) => deps.summaries.get(record.partition, file),
        sighting: (file, reportId) => deps.sightings.get(record.partition, sightingKey(file, reportId)),
        media: mediaOf,
        nearby: (variants, maxDistance) => deps.mediaIndex.query(variants, maxDistance),
      },
      deps,
    );
    if (outcome.sighting.isNewReport) {
      deps.summaries.put(record.partition, sha256, outcome.sighting.summary);
      deps.sightings.put(record.partition, sightingKey(sha256, item.reportId), outcome.sighting.sighting);
    }

    const outputs = [];
    if (outcome.decided) {
      decided.set(sha256, outcome.decided);
      if (outcome.indexPdq) deps.mediaIndex.add(sha256, outcome.indexPdq);
      outputs.push({
        topic: deps.topics.media,
        key: sha256,
        value: deps.codec.encode('Media', outcome.decided),
      });
    }
    const result: HashedItem = { ...hashed, dedupe: outcome.dedupe };
    outputs.push({
      topic: deps.topics.itemsHashed,
      key: item.reportId,
      value: deps.codec.encode('HashedItem', result),
    });
    return outputs;
  };
  return { handle, onMediaRead: (sha256) => decided.delete(sha256) };
}
