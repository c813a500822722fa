/** One indexed entry within `maxDistance` of a query. */
export interface PdqMatch {
  /** The entry id given to `add`. */
  readonly id: number;
  /** Hamming distance (0..256) to the closest query variant. */
  readonly distance: number;
  /** Index in the query's variant list of the variant at that distance (the lowest one on a tie). */
  readonly variant: number;
}

export interface PdqSegmentStats {
  readonly rows: number;
  readonly live: number;
  readonly bytes: number;
}

export interface PdqIndexStats {
  /** Entries that can match (added, not removed). */
  readonly entries: number;
  /** Rows in the store, including removed ones not yet compacted away. */
  readonly rows: number;
  readonly removedRows: number;
  /** Rows added since the last build, scanned linearly by queries. */
  readonly tailRows: number;
  readonly segments: readonly PdqSegmentStats[];
  /** Slot tables of all segments. */
  readonly indexBytes: number;
  /** Hash words, ids and flags of the row store (allocated capacity). */
  readonly storeBytes: number;
  /** The id -> row table. */
  readonly idTableBytes: number;
  /** Query scratch buffers. */
  readonly scratchBytes: number;
}
