import { hashMedia } from '@triage/hashing';
import type { Hashes } from '@triage/schemas';
import type { MediaHasher } from './hash-stage.ts';

/** The hashing package's `hashMedia`, shaped as the Avro `Hashes` record the stage writes. */
export function createMediaHasher(options: { maxPixels: number }): MediaHasher {
  return async (bytes) => {
    const result = await hashMedia(bytes, { maxPixels: options.maxPixels });
    const hashes: Hashes = {
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
    return hashes;
  };
}
