import { describe, expect, it } from 'vitest';
import { type Output, outputBarrier } from '../consumer/runner-types.ts';
import { OutputSink, type OwnedRecord } from './output-sink.ts';
import type { OutboundRecord } from './record-producer.ts';

function record(key: string, valueBytes = 10): OutboundRecord {
  return { topic: 'items.v1', key, value: Buffer.alloc(valueBytes) };
}

/** A sink whose sends are kept, one entry per call, with a log of when each was acknowledged. */
function recordingSink(limits = { maxRecords: 2, maxBytes: 1_000_000 }) {
  const calls: string[][] = [];
  const log: string[] = [];
  let failWith: Error | undefined;
  const sink = new OutputSink<string>({
    limits,
    send: async (chunk: readonly OwnedRecord<string>[]) => {
      if (failWith) throw failWith;
      calls.push(chunk.map((entry) => `${entry.owner ?? '-'}:${entry.record.key}`));
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.push(`acked ${chunk.map((entry) => entry.record.key).join(',')}`);
    },
  });
  return { sink, calls, log, fail: (error: Error) => (failWith = error) };
}

describe('OutputSink', () => {
  it('given records, when written, then one send per full chunk, in order, and the rest at the barrier', async () => {
    const { sink, calls } = recordingSink();
    await sink.write(
      ['k0', 'k1', 'k2', 'k3', 'k4'].map((key) => record(key)),
      'r1',
    );
    expect(calls).toEqual([
      ['r1:k0', 'r1:k1'],
      ['r1:k2', 'r1:k3'],
    ]);
    await sink.barrier();
    expect(calls.at(-1)).toEqual(['r1:k4']);
  });

  it('given a lazy generator of thousands of records, when written, then at most one chunk is waiting unsent at any time', async () => {
    const { sink, calls } = recordingSink({ maxRecords: 100, maxBytes: 1_000_000 });
    let made = 0;
    let mostAhead = 0;
    function* many(): Generator<OutboundRecord> {
      for (let index = 0; index < 5_000; index++) {
        made += 1;
        const sent = calls.reduce((sum, call) => sum + call.length, 0);
        mostAhead = Math.max(mostAhead, made - sent);
        yield record(`k${index}`);
      }
    }
    await sink.write(many());
    await sink.barrier();
    expect(calls.flat()).toEqual(Array.from({ length: 5_000 }, (_, index) => `-:k${index}`));
    expect(mostAhead).toBeLessThanOrEqual(101);
  });

  it('given a barrier between records, when written, then what follows is sent only after what precedes is acknowledged, in a call of its own', async () => {
    const { sink, calls, log } = recordingSink({ maxRecords: 10, maxBytes: 1_000_000 });
    async function* bundle(): AsyncGenerator<Output> {
      yield record('report');
      yield record('item');
      yield outputBarrier;
      log.push('status yielded');
      yield record('status');
    }
    await sink.write(bundle(), 'b1');
    await sink.barrier();
    expect(calls).toEqual([['b1:report', 'b1:item'], ['b1:status']]);
    expect(log).toEqual(['acked report,item', 'status yielded', 'acked status']);
  });

  it('given records of a failed attempt not sent yet, when discarded, then only the other owners records go out', async () => {
    const { sink, calls } = recordingSink({ maxRecords: 10, maxBytes: 1_000_000 });
    await sink.write([record('a0')], 'a');
    await sink.write([record('b0'), record('b1')], 'b');
    sink.discard('b');
    await sink.write([record('b0')], 'b');
    await sink.barrier();
    expect(calls).toEqual([['a:a0', 'b:b0']]);
  });

  it('given an owner refused while its records are queued, when more of its records come, then none is sent and its write ends early', async () => {
    const sent: string[] = [];
    let closed = false;
    const sink: OutputSink<string> = new OutputSink<string>({
      limits: { maxRecords: 2, maxBytes: 1_000_000 },
      send: async (chunk) => {
        sent.push(...chunk.map((entry) => `${entry.owner}:${entry.record.key}`));
        // The broker refused a's first chunk: the runner dead-letters a and refuses it.
        if (chunk.some((entry) => entry.record.key === 'a1')) sink.refuse('a');
      },
    });
    function* fromA(): Generator<Output> {
      try {
        for (let index = 1; index <= 6; index++) yield record(`a${index}`);
        yield outputBarrier;
        yield record('a-status');
      } finally {
        closed = true;
      }
    }
    await sink.write([record('b1')], 'b');
    await sink.write(fromA(), 'a');
    await sink.write([record('b2')], 'b');
    await sink.barrier();
    expect(sent).toEqual(['b:b1', 'a:a1', 'b:b2']);
    expect(closed).toBe(true);
  });

  it('given a send that failed (the runner stopping), when more is written, then nothing more is sent and the failure surfaces', async () => {
    const { sink, calls, fail } = recordingSink();
    fail(new Error('stopping'));
    await expect(sink.write([record('k0'), record('k1'), record('k2')])).rejects.toThrow('stopping');
    await expect(sink.barrier()).rejects.toThrow('stopping');
    expect(calls).toEqual([]);
  });

  it('given nothing written, when the barrier is awaited, then nothing is sent', async () => {
    const { sink, calls } = recordingSink();
    await sink.barrier();
    expect(calls).toEqual([]);
  });
});
