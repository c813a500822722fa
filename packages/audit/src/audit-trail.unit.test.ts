import { TriageError } from '@triage/errors';
import { createCodec } from '@triage/schemas';
import { describe, expect, test } from 'vitest';
import { auditEntryOf } from './audit-entry.ts';
import { type AuditRecordInput, AuditTrail } from './audit-trail.ts';
import { asTopic, memoryProducer, searchBy, silentLogger } from './testing/memory-trail.ts';
import { verifyAuditTrail } from './verify-trail.ts';

const codec = createCodec();
const start = Date.UTC(2026, 2, 14, 9, 0, 0);

function trailOver(producer = memoryProducer(), maxBatch?: number) {
  const now = start;
  const trail = new AuditTrail({
    producer,
    topic: 'audit.v1',
    writerId: 'api-0',
    logger: silentLogger,
    clock: () => now,
    ...(maxBatch === undefined ? {} : { maxBatch }),
  });
  return { trail, producer };
}

const verifyWritten = (producer: ReturnType<typeof memoryProducer>) =>
  verifyAuditTrail(asTopic(producer.written).map((record) => auditEntryOf(codec, record)));

describe('AuditTrail', () => {
  test('given concurrent records, when they resolve, then the chain is linear in call order and verifies', async () => {
    const { trail, producer } = trailOver(memoryProducer(), 4);
    const recorded = await Promise.all(
      Array.from({ length: 10 }, (_, n) => trail.record(searchBy('analyst-1', n))),
    );
    expect(recorded.map((event) => event.sequence)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const chainId = 'api-0/2026-03-14T09:00:00.000Z';
    expect(recorded[3]).toEqual(expect.objectContaining({ chainId, eventId: `${chainId}/3` }));
    expect(producer.written.map((record) => record.key)).toEqual(Array(10).fill(chainId));
    const events = producer.written.map((record) => codec.decode('AuditEvent', record.value!));
    expect(events.map((event) => event.resultCount)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events.map((event) => event.at)).toEqual(Array(10).fill(start));
    expect(verifyWritten(producer)).toEqual(expect.objectContaining({ findings: [], duplicates: 0 }));
  });

  test('given a send in flight, when it has not been acknowledged, then record has not resolved', async () => {
    let acknowledge = () => {};
    const producer = memoryProducer();
    const send = producer.send.bind(producer);
    producer.send = async (records) => {
      await new Promise<void>((resolve) => {
        acknowledge = resolve;
      });
      await send(records);
    };
    const { trail } = trailOver(producer);
    let settled = false;
    const recording = trail.record(searchBy('analyst-1', 1)).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    acknowledge();
    await recording;
    expect(settled).toBe(true);
    expect(producer.written).toHaveLength(1);
  });

  test.each([
    { written: false, case: 'the broker lost the events' },
    { written: true, case: 'the broker kept the events' },
  ])(
    'given a failed send ($case), when recording, then it rejects retryably and a new chain starts that verifies',
    async ({ written }) => {
      const { trail, producer } = trailOver();
      await trail.record(searchBy('analyst-1', 0));
      const firstChain = trail.chainId;
      producer.failNext(1, { written });
      const failed = await trail.record(searchBy('analyst-1', 1)).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(TriageError);
      expect(failed).toEqual(
        expect.objectContaining({ code: 'TRIAGE_AUDIT_UNAVAILABLE', retryable: true, status: 503 }),
      );
      const next = await trail.record(searchBy('analyst-1', 2));
      expect(next.chainId).not.toBe(firstChain);
      expect(next.sequence).toBe(0);
      const result = verifyWritten(producer);
      expect(result.findings).toEqual([]);
      expect(result.chains.map((chain) => chain.events)).toEqual([written ? 2 : 1, 1]);
    },
  );

  test('given an invalid event among valid ones, when recording, then it alone is refused and takes no sequence', async () => {
    const { trail, producer } = trailOver();
    const invalid = { ...searchBy('analyst-1', 1), role: 'root' } as unknown as AuditRecordInput;
    const results = await Promise.allSettled([
      trail.record(searchBy('analyst-1', 0)),
      trail.record(invalid),
      trail.record(searchBy('analyst-1', 2)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(
      expect.objectContaining({ code: 'TRIAGE_RECORD_INVALID' }),
    );
    expect(
      results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.sequence] : [])),
    ).toEqual([0, 1]);
    expect(verifyWritten(producer).findings).toEqual([]);
  });

  test('given a writer id with a slash, when the trail is built, then it is refused as configuration', () => {
    expect(
      () =>
        new AuditTrail({
          producer: memoryProducer(),
          topic: 'audit.v1',
          writerId: 'api/0',
          logger: silentLogger,
        }),
    ).toThrow(expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID' }));
  });
});
