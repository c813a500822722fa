import type { OutboundRecord, RecordProducer } from '@triage/messaging';
import { describe, expect, it } from 'vitest';
import { sendInChunks } from './send-in-chunks.ts';

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
