import type { Hashes } from '@triage/schemas';
import type { MediaHashes } from './hash-media.ts';

/** The Avro `Hashes` record of a hashing result: what the hasher publishes (and `triage explain` shows). */
export function hashesRecord(result: MediaHashes): Hashes {
  return {
    md5: result.md5,
    sha1: result.sha1,
    sha256: result.sha256,
    pdq: result.pdq,
    pdqQuality: result.pdqQuality,
    pdqDihedral: [...result.pdqDihedral],
    pdqMode: result.pdqMode,
    perceptualStatus: result.perceptualStatus,
    errorCode: result.errorCode,
  };
}
