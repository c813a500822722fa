import type { HashMatch, HashType, KnownHash } from '@triage/schemas';

/**
 * The seam for licensed perceptual hashes such as Microsoft's PhotoDNA, which police lists carry
 * but this project may not implement. A deployment holding a licence supplies an adapter; the
 * hasher then routes that hash type's list entries to it and adds its matches to every item.
 * Without one, such entries stay on the hash-list topic, verbatim and unmatched.
 */
export interface LicensedSignal {
  /** The list hash type this adapter matches, e.g. `PHOTODNA`. */
  readonly hashType: HashType;
  /** Applies one change of the hash-list topic for this hash type (null entry = tombstone). */
  apply(key: string, entry: KnownHash | null): void;
  /** Hashes the stored file and matches it against the entries applied so far. */
  match(sha256: string): Promise<HashMatch[]>;
}
