import { describe, expect, it } from 'vitest';
import { chunkRecords } from './chunk-records.ts';
import type { OutboundRecord } from './record-producer.ts';

const record = (key: string, bytes: number): OutboundRecord => ({
  topic: 't',
  key,
  value: Buffer.alloc(bytes),
});

describe('chunkRecords', () => {
  it('given records over the byte limit together, when chunked, then each chunk stays under it and order is kept', () => {
    const records = ['a', 'b', 'c', 'd', 'e'].map((key) => record(key, 400));
    const chunks = [...chunkRecords(records, { maxRecords: 100, maxBytes: 1_000 })];
    expect(chunks.map((chunk) => chunk.map((r) => r.key))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('given more records than the record limit, when chunked, then chunks hold at most that many', () => {
    const records = Array.from({ length: 7 }, (_, index) => record(String(index), 1));
    const chunks = [...chunkRecords(records, { maxRecords: 3, maxBytes: 1_000_000 })];
    expect(chunks.map((chunk) => chunk.map((r) => r.key))).toEqual([['0', '1', '2'], ['3', '4', '5'], ['6']]);
  });

  it('given one record larger than the byte limit, when chunked, then it is a chunk of its own', () => {
    const chunks = [
      ...chunkRecords([record('a', 10), record('big', 5_000), record('c', 10)], {
        maxRecords: 10,
        maxBytes: 1_000,
      }),
    ];
    expect(chunks.map((chunk) => chunk.map((r) => r.key))).toEqual([['a'], ['big'], ['c']]);
  });

  it('given tombstones, when chunked, then they count only their key and framing', () => {
    const tombstones: OutboundRecord[] = Array.from({ length: 4 }, (_, index) => ({
      topic: 't',
      key: `k${index}`,
      value: null,
    }));
    expect([...chunkRecords(tombstones, { maxRecords: 10, maxBytes: 150 })].map((c) => c.length)).toEqual([
      2, 2,
    ]);
  });

  it('given no records, when chunked, then no chunks', () => {
    expect([...chunkRecords([], { maxRecords: 10, maxBytes: 1_000 })]).toEqual([]);
  });
});
