import { TriageError } from '@triage/errors';
import type { RecordProducer } from '@triage/messaging';
import type { Codec } from '@triage/schemas';
import type { KeyedSerialQueue } from '../pipeline/keyed-serial-queue.ts';
import type { TakedownBook } from './takedown-book.ts';
import { type CheckedTakedown, takedownRefusal } from './takedown-request.ts';
import { decideTakedowns } from './takedown-rules.ts';

export interface RecordTakedownsDeps {
  book: TakedownBook;
  producer: RecordProducer;
  codec: Codec;
  /** Deployed name of takedowns.v1. */
  topic: string;
  queue: KeyedSerialQueue;
  clock: () => number;
}

export interface TakedownOutcome {
  recorded: number;
  duplicates: number;
}

/**
 * One queue for every partner's takedown requests, not one per partner: the URL order and the
 * notice owners cross partners, so two partners' requests on one URL must not be validated
 * side by side. A request is a few milliseconds (one transaction), and hotlines send few.
 */
const queueKey = 'takedowns';

/**
 * Records a checked request whole or not at all: under the queue its events are validated
 * against takedowns.v1 (as the store holds it) and each other, the new ones published in one
 * Kafka transaction (ADR 0016), and the store written only once that transaction committed.
 */
export function recordTakedowns(
  request: { partnerId: string; events: readonly CheckedTakedown[] },
  deps: RecordTakedownsDeps,
): Promise<TakedownOutcome> {
  return deps.queue.run(queueKey, async () => {
    if (!deps.book.ready) {
      throw new TriageError('TRIAGE_TAKEDOWNS_UNAVAILABLE', 'intake is still reading takedowns.v1', {
        details: { retryAfterSeconds: 5 },
      });
    }
    const decision = decideTakedowns({
      partnerId: request.partnerId,
      receivedAt: deps.clock(),
      events: request.events,
      tables: deps.book.tables,
    });
    if (decision.failures.length > 0) throw takedownRefusal(decision.failures, request.events.length);
    if (decision.records.length > 0) {
      try {
        await deps.producer.send(
          decision.records.map((record) => ({
            topic: deps.topic,
            key: record.url,
            value: deps.codec.encode('TakedownEvent', record),
          })),
        );
      } catch (error) {
        throw new TriageError(
          'TRIAGE_TAKEDOWNS_UNAVAILABLE',
          'Kafka did not take the events; nothing was recorded',
          {
            cause: error,
            details: { retryAfterSeconds: 10 },
          },
        );
      }
      deps.book.record(decision.records);
    }
    return { recorded: decision.records.length, duplicates: decision.duplicates };
  });
}
