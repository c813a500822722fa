import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { namedIn } from './media-reclaim.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('namedIn', () => {
  const candidates = new Set([sha('a'), sha('b')]);

  it('given a record holding a candidate as an Avro string among other bytes, then it is named', () => {
    const record = Buffer.concat([Buffer.of(0x80, 0x01), Buffer.from(sha('a')), Buffer.of(0x00, 0xff)]);
    expect(namedIn(record, candidates)).toEqual([sha('a')]);
  });

  it('given a record naming no candidate (another sha256, a prefix of one), then nothing is named', () => {
    const record = Buffer.from(`${sha('c')} ${sha('a').slice(0, 63)}`);
    expect(namedIn(record, candidates)).toEqual([]);
  });

  it('given both candidates, then both are named', () => {
    expect(namedIn(Buffer.from(`${sha('b')}|${sha('a')}`), candidates).sort()).toEqual(
      [sha('a'), sha('b')].sort(),
    );
  });
});
