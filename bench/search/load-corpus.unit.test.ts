import { describe, expect, it } from 'vitest';
import { corpusVersion } from './corpus.ts';
import { corpusMarker, sameCorpus } from './load-corpus.ts';

describe('corpus reuse', () => {
  const wanted = corpusMarker({ seed: 1, cases: 100_000, itemsPerCase: 10 });

  it('given the marker of the same seed, size and version, when compared, then the corpus is reusable', () => {
    expect(wanted.version).toBe(corpusVersion);
    expect(sameCorpus({ ...wanted }, wanted)).toBe(true);
  });

  it.each([
    ['no marker (an interrupted load)', undefined],
    ['another seed', { ...wanted, seed: 2 }],
    ['another size', { ...wanted, cases: 10_000 }],
    ['another generator version', { ...wanted, version: corpusVersion + 1 }],
  ])('given %s, when compared, then the corpus is rebuilt', (_, stored) => {
    expect(sameCorpus(stored, wanted)).toBe(false);
  });
});
