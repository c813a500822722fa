import { describe, expect, it } from 'vitest';
import { payloadPool, recordKey, seededBytes, seqOfKey } from './payload.ts';

describe('seeded payloads', () => {
  it('given the same seed, when generating twice, then the bytes are identical', () => {
    expect(seededBytes(42, 1000).equals(seededBytes(42, 1000))).toBe(true);
  });
  it('given different seeds, when generating, then the bytes differ', () => {
    expect(seededBytes(1, 64).equals(seededBytes(2, 64))).toBe(false);
  });
  it('given a length that is not a multiple of four, when generating, then the buffer has that length', () => {
    expect(seededBytes(7, 1023)).toHaveLength(1023);
  });
  it('given a pool, when generated, then it holds distinct payloads of the record size', () => {
    const pool = payloadPool(3, 1024, 8);
    expect(pool).toHaveLength(8);
    expect(new Set(pool.map((payload) => payload.toString('hex'))).size).toBe(8);
    expect(pool.every((payload) => payload.length === 1024)).toBe(true);
  });
  it('looks random: every byte value appears in 64 KiB', () => {
    expect(new Set(seededBytes(9, 65536)).size).toBe(256);
  });
});

describe('record keys', () => {
  it('given a sequence number, when encoded as a key, then it decodes back', () => {
    expect(seqOfKey(recordKey(12345))).toBe(12345);
  });
  it('given a foreign or missing key, when decoded, then it is -1', () => {
    expect(seqOfKey(Buffer.from('x-1'))).toBe(-1);
    expect(seqOfKey(null)).toBe(-1);
    expect(seqOfKey(Buffer.from('r-abc'))).toBe(-1);
  });
});
