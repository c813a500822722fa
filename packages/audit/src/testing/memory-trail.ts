// Test helpers for the unit tests: an in-memory producer standing in for Kafka's acknowledgement,
// and the records it kept, as the verifier reads them back.
import { createLogger } from '@triage/logging';
import type { OutboundRecord, RecordProducer, TableRecord } from '@triage/messaging';
import { type AuditRecordInput, AuditTrail } from '../audit-trail.ts';

export interface MemoryProducer extends RecordProducer {
  /** Every record `send` kept, in send order. */
  readonly written: OutboundRecord[];
  /** Makes the next sends fail, after keeping their records when `written` is true. */
  failNext(count: number, options?: { written: boolean }): void;
}

export function memoryProducer(): MemoryProducer {
  const written: OutboundRecord[] = [];
  let failures = 0;
  let keepFailed = false;
  return {
    written,
    failNext(count, options = { written: false }) {
      failures = count;
      keepFailed = options.written;
    },
    async send(records) {
      await Promise.resolve();
      if (failures > 0) {
        failures--;
        if (keepFailed) written.push(...records);
        throw new Error('broker did not acknowledge');
      }
      written.push(...records);
    },
    async close() {},
  };
}

/** The kept records as one partition read back in order, offsets from 0. */
export function asTopic(records: readonly OutboundRecord[], partition = 0): TableRecord[] {
  return records.map((record, index) => ({
    partition,
    offset: BigInt(index),
    key: record.key,
    value: record.value,
  }));
}

export const silentLogger = createLogger({ name: 'audit-test', level: 'silent' });

/** A synthetic audited search: no personal data. */
export function searchBy(actor: string, resultCount: number): AuditRecordInput {
  return {
    actor,
    role: 'analyst',
    action: 'search',
    target: { type: 'query', id: null },
    query: 'tier:P1',
    resultCount,
    requestId: `req-${resultCount}`,
    outcome: 'allowed',
  };
}

/** A clean chain of `count` searches by one writer (clock from a fixed instant), as one partition of the topic. */
export async function cleanChain(count: number, writerId = 'api-0'): Promise<TableRecord[]> {
  const producer = memoryProducer();
  let now = Date.UTC(2026, 2, 14, 9, 0, 0);
  const trail = new AuditTrail({
    producer,
    topic: 'audit.v1',
    writerId,
    logger: silentLogger,
    clock: () => now++,
  });
  await Promise.all(Array.from({ length: count }, (_, n) => trail.record(searchBy('analyst-1', n))));
  return asTopic(producer.written);
}
