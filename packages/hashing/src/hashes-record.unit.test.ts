import { describe, expect, it } from 'vitest';
import type { MediaHashes } from './hash-media.ts';
import { hashesRecord } from './hashes-record.ts';

describe('hashesRecord', () => {
  it('given a hashing result, when made a record, then it holds the Avro Hashes fields only, the variants copied', () => {
    const dihedral = Object.freeze(Array.from({ length: 8 }, (_, index) => String(index).repeat(64)));
    const result: MediaHashes = {
      size: 3,
      mediaType: 'image/png',
      md5: 'a'.repeat(32),
      sha1: 'b'.repeat(40),
      sha256: 'c'.repeat(64),
      pdq: dihedral[0]!,
      pdqQuality: 90,
      pdqDihedral: dihedral,
      pdqMode: 'reference-no-exif-rotate',
      perceptualStatus: 'hashed',
      errorCode: null,
      errorMessage: null,
    };

    const record = hashesRecord(result);

    expect(record).toEqual({
      md5: result.md5,
      sha1: result.sha1,
      sha256: result.sha256,
      pdq: result.pdq,
      pdqQuality: 90,
      pdqDihedral: [...dihedral],
      pdqMode: 'reference-no-exif-rotate',
      perceptualStatus: 'hashed',
      errorCode: null,
    });
    expect(record.pdqDihedral).not.toBe(dihedral);
  });
});
