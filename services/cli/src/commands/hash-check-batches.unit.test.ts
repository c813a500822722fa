import { describe, expect, it } from 'vitest';
import { BatchPacker, matchedFiles } from './hash-check-batches.ts';

const file = (path: string, pdq: string | null = null) => ({
  path,
  md5: `${path}-md5`,
  sha1: `${path}-sha1`,
  pdq,
});

describe('BatchPacker', () => {
  it("given files, then batches hold at most the maximum and never split a file's hashes", () => {
    const packer = new BatchPacker(5);
    expect(packer.add(file('a', 'a-pdq'))).toBeNull();
    const first = packer.add(file('b', 'b-pdq'));
    expect(first?.hashes).toEqual([
      { type: 'md5', value: 'a-md5' },
      { type: 'sha1', value: 'a-sha1' },
      { type: 'pdq', value: 'a-pdq' },
    ]);
    expect(packer.add(file('c'))).toBeNull();
    const second = packer.flush();
    expect(second?.owners.map((owner) => `${owner.path}:${owner.type}`)).toEqual([
      'b:md5',
      'b:sha1',
      'b:pdq',
      'c:md5',
      'c:sha1',
    ]);
    expect(packer.flush()).toBeNull();
  });

  it('given answers, then each matched file once with the hash types that matched', () => {
    const packer = new BatchPacker(100);
    packer.add(file('a', 'a-pdq'));
    packer.add(file('b'));
    const batch = packer.flush()!;
    const answers = [false, false, true, true, false].map((match) => ({ match }));
    expect(matchedFiles(batch, answers)).toEqual([
      { path: 'a', matched: ['pdq'] },
      { path: 'b', matched: ['md5'] },
    ]);
    expect(
      matchedFiles(
        batch,
        answers.map(() => ({ match: false })),
      ),
    ).toEqual([]);
  });
});
