/** Bytes streamed to a temporary file, not yet durable nor visible in the store. */
export interface StagedContent {
  readonly sha256: string;
  readonly md5: string;
  readonly sha1: string;
  /** Plaintext bytes (what the partner sent), whether or not the store encrypts. */
  readonly size: number;
  /** The first 512 bytes (or fewer), so the caller can sniff the media type without re-reading. */
  readonly head: Buffer;
}

export interface StoredContent {
  sha256: string;
  md5: string;
  sha1: string;
  size: number;
  /** False when the bytes were already stored (the same file sent again). */
  created: boolean;
}
