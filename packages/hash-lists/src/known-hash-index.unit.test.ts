import { createHash } from 'node:crypto';
import { type Hashes, type KnownHash, recordExamples } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { KnownHashIndex } from './known-hash-index.ts';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const pdqA = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
/** pdqA with its first `bits` bits flipped. */
function flipped(hex: string, bits: number): string {
  const value = BigInt(`0x${hex}`) ^ ((1n << BigInt(bits)) - 1n);
  return value.toString(16).padStart(64, '0');
}

function entry(hashType: KnownHash['hashType'], value: string, category: number | null = 1): KnownHash {
  return {
    ...recordExamples.KnownHash,
    listName: 'police-test',
    listVersion: 'v1',
    hashType,
    value,
    category,
    categoryLabel: null,
  };
}

function hashes(text: string, pdq: string | null, dihedral: string[] = [], quality = 90): Hashes {
  return {
    md5: md5(text),
    sha1: createHash('sha1').update(text).digest('hex'),
    sha256: createHash('sha256').update(text).digest('hex'),
    pdq,
    pdqQuality: pdq ? quality : null,
    pdqDihedral: dihedral,
    pdqMode: pdq ? 'reference' : null,
    perceptualStatus: pdq ? 'hashed' : 'not_image',
    errorCode: null,
  };
}

describe('KnownHashIndex', () => {
  it('given an MD5 entry, matches the file exactly with the list, version and category', () => {
    const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50 });
    index.apply(`police-test:MD5:${md5('one')}`, entry('MD5', md5('one'), 0));
    expect(index.match(hashes('one', null))).toEqual([
      {
        listName: 'police-test',
        listVersion: 'v1',
        hashType: 'MD5',
        category: 0,
        categoryLabel: null,
        distance: 0,
        variant: null,
      },
    ]);
    expect(index.match(hashes('two', null))).toEqual([]);
  });

  it('matches PDQ within the distance on any dihedral variant, and names the variant', () => {
    const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50 });
    index.apply(`police-test:PDQ:${pdqA}`, entry('PDQ', pdqA));
    const rotated = hashes('rotated copy', flipped(pdqA, 120), [flipped(pdqA, 120), flipped(pdqA, 10)]);
    expect(index.match(rotated)).toEqual([
      expect.objectContaining({ hashType: 'PDQ', distance: 10, variant: 'rotate90' }),
    ]);
    expect(index.match(hashes('far', flipped(pdqA, 32), [flipped(pdqA, 32)]))).toEqual([]);
  });

  it('does not match on a PDQ too weak to trust', () => {
    const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50 });
    index.apply(`police-test:PDQ:${pdqA}`, entry('PDQ', pdqA));
    expect(index.match(hashes('weak', pdqA, [pdqA], 20))).toEqual([]);
  });

  it('forgets an entry on its tombstone and takes a changed entry as a replacement', () => {
    const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50 });
    const key = `police-test:MD5:${md5('one')}`;
    index.apply(key, entry('MD5', md5('one'), 1));
    index.apply(key, entry('MD5', md5('one'), 2));
    expect(index.match(hashes('one', null)).map((match) => match.category)).toEqual([2]);
    index.apply(key, null);
    expect(index.match(hashes('one', null))).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('keeps only the closest PDQ matches of an item near a large family of entries', () => {
    const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50, maxPdqMatches: 5 });
    for (let bits = 0; bits < 20; bits++) {
      const value = flipped(pdqA, bits);
      index.apply(`police-test:PDQ:${value}`, entry('PDQ', value));
    }
    index.optimize();
    const matches = index.match(hashes('family member', pdqA, [pdqA]));
    expect(matches.map((match) => match.distance)).toEqual([0, 1, 2, 3, 4]);
  });

  it('leaves PhotoDNA entries to the topic: nothing to match them with', () => {
    const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50 });
    index.apply('police-test:PHOTODNA:abc', entry('PHOTODNA', 'abc'));
    expect(index.size).toBe(0);
    expect(index.match(hashes('anything', pdqA, [pdqA]))).toEqual([]);
  });

  it('keeps the same hash of two lists apart: a tombstone of one leaves the other', () => {
    const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50 });
    index.apply(`police-test:MD5:${md5('one')}`, entry('MD5', md5('one')));
    index.apply(`hotline-test:MD5:${md5('one')}`, { ...entry('MD5', md5('one')), listName: 'hotline-test' });
    expect(
      index
        .match(hashes('one', null))
        .map((match) => match.listName)
        .sort(),
    ).toEqual(['hotline-test', 'police-test']);
    index.apply(`police-test:MD5:${md5('one')}`, null);
    expect(index.match(hashes('one', null)).map((match) => match.listName)).toEqual(['hotline-test']);
  });

  it('rejects a malformed hash with its code, so the table can skip the row', () => {
    const index = new KnownHashIndex({ pdqMatchDistance: 31, pdqMinQuality: 50 });
    expect(() => index.apply('police-test:MD5:not-hex', entry('MD5', 'not-hex'))).toThrow(
      expect.objectContaining({ code: 'TRIAGE_HASH_INVALID' }),
    );
    expect(index.size).toBe(0);
  });
  it('given entries, lookup finds one hash by type, PDQ within the distance asked and never past the index cap', () => {
    const index = new KnownHashIndex({ pdqMatchDistance: 20, pdqMinQuality: 50 });
    index.apply(`police-test:MD5:${md5('one')}`, entry('MD5', md5('one'), 2));
    index.apply(`police-test:PDQ:${pdqA}`, entry('PDQ', pdqA, 1));
    index.optimize();
    expect(index.lookup('MD5', md5('one'))).toMatchObject([
      { listName: 'police-test', category: 2, distance: 0 },
    ]);
    expect(index.lookup('SHA1', createHash('sha1').update('one').digest('hex'))).toEqual([]);
    expect(index.lookup('PDQ', flipped(pdqA, 10), 9)).toEqual([]);
    expect(index.lookup('PDQ', flipped(pdqA, 10), 10)).toMatchObject([
      { hashType: 'PDQ', category: 1, distance: 10 },
    ]);
    expect(index.lookup('PDQ', flipped(pdqA, 25), 31)).toEqual([]);
    index.apply(`police-test:MD5:${md5('one')}`, null);
    expect(index.lookup('MD5', md5('one'))).toEqual([]);
  });
});
