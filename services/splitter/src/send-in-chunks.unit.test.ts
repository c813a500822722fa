import type { OutboundRecord, RecordProducer } from '@triage/messaging';
import { describe, expect, it } from 'vitest';
import { chunked, sendInChunks } from './send-in-chunks.ts';

function record(key: string, valueBytes: number): OutboundRecord {
  return { topic: 'items.v1', key, value: Buffer.alloc(valueBytes) };
}

/** A producer that keeps what it was asked to send, one entry per call. */
function recordingProducer(): RecordProducer & { calls: OutboundRecord[][] } {
  const calls: OutboundRecord[][] = [];
  return {
    calls,
    send: async (records) => {
      calls.push([...records]);
    },
    close: async () => undefined,
  };
}

const keysOf = (chunks: OutboundRecord[][]) => chunks.map((chunk) => chunk.map((each) => each.key));

describe('chunked', () => {
  it('given more records than a chunk takes, when chunked, then full chunks in order and the rest last', () => {
    const records = Array.from({ length: 7 }, (_, index) => record(`k${index}`, 10));

    const chunks = [...chunked(records, { maxRecords: 3, maxBytes: 1_000_000 })];

    expect(keysOf(chunks)).toEqual([['k0', 'k1', 'k2'], ['k3', 'k4', 'k5'], ['k6']]);
  });

  it('given records that fill the byte budget, when chunked, then a chunk closes before it would exceed it', () => {
    // Each record counts 2 (key) + 100 (value) + 64 (framing allowance) = 166 bytes.
    const records = Array.from({ length: 5 }, (_, index) => record(`k${index}`, 100));

    const chunks = [...chunked(records, { maxRecords: 100, maxBytes: 400 })];

    expect(keysOf(chunks)).toEqual([['k0', 'k1'], ['k2', 'k3'], ['k4']]);
  });

  it('given one record larger than the byte budget, when chunked, then it travels alone', () => {
    const records = [record('small', 10), record('huge', 5_000), record('after', 10)];

    const chunks = [...chunked(records, { maxRecords: 100, maxBytes: 1_000 })];

    expect(keysOf(chunks)).toEqual([['small'], ['huge'], ['after']]);
  });

  it('given no records, when chunked, then no chunks', () => {
    expect([...chunked([], { maxRecords: 10, maxBytes: 1_000 })]).toEqual([]);
  });
});

describe('sendInChunks', () => {
  it('given records, when sent, then one produce call per chunk, in order, and the count sent', async () => {
    const producer = recordingProducer();
    const records = Array.from({ length: 5 }, (_, index) => record(`k${index}`, 10));

    const sent = await sendInChunks(producer, records, { maxRecords: 2, maxBytes: 1_000_000 });

    expect(sent).toBe(5);
    expect(keysOf(producer.calls)).toEqual([['k0', 'k1'], ['k2', 'k3'], ['k4']]);
  });

  it('given an aborted signal, when sent, then nothing more is produced and the abort surfaces', async () => {
    const producer = recordingProducer();
    const stop = new AbortController();
    stop.abort();

    await expect(
      sendInChunks(producer, [record('k0', 10)], { maxRecords: 2, maxBytes: 1_000 }, stop.signal),
    ).rejects.toThrow();
    expect(producer.calls).toEqual([]);
  });
});
