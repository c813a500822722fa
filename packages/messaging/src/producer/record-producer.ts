import { setTimeout as sleep } from 'node:timers/promises';
import { ProduceAcks, Producer } from '@platformatic/kafka';
import { baseClientOptions, type KafkaConnection, kafkaError, kafkaErrorCodes } from '../kafka/connection.ts';
import { type PlacedRecord, placeRecords, recordSerializers, toMessage } from './place-records.ts';

/** A record to write. `value: null` is a tombstone (compacted topics). Topic names are deployed names. */
export interface OutboundRecord {
  topic: string;
  key: string;
  value: Buffer | null;
  headers?: Record<string, string>;
  /** Set only when a record must land on a given partition (state changelogs). */
  partition?: number;
}

export interface RecordProducer {
  /**
   * Writes all records with acks=all; resolves once every one is acknowledged, or fails with
   * TRIAGE_KAFKA_UNAVAILABLE after the delivery timeout (having written what it could).
   */
  send(records: readonly OutboundRecord[]): Promise<void>;
  /**
   * A hint, before the records exist: the next `send` will write to these keys. A transactional
   * producer begins that transaction now, with their partitions added; others ignore it.
   */
  prepare?(destinations: readonly Destination[]): void;
  close(): Promise<void>;
}

/** Where a record will go: its topic and key (the key decides the partition). */
export interface Destination {
  readonly topic: string;
  readonly key: string;
}

export interface RecordProducerOptions {
  /** How long `send` keeps retrying retryable failures (leader elections, a broker restarting). */
  deliveryTimeoutMs?: number;
}

/**
 * An idempotent producer with acks=all. Keys are partitioned with the Java-compatible murmur2
 * partitioner, so tools in other languages place a report on the same partition we do.
 * A failed send is retried for the partitions that were not acknowledged only: records already
 * written are never sent twice by a retry.
 */
export function createRecordProducer(
  connection: KafkaConnection,
  name: string,
  options: RecordProducerOptions = {},
): RecordProducer {
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 60_000;
  const producer = new Producer<string, Buffer, string, string>({
    ...baseClientOptions(connection, name),
    // The client's own retries keep the idempotent producer's sequence numbers, so the broker
    // drops a batch it already wrote: long enough to ride out a leader election (~10 s here).
    // A resend after they run out is a new write and may duplicate (downstream ids absorb it).
    retries: 40,
    retryDelay: 250,
    idempotent: true,
    acks: ProduceAcks.ALL,
    serializers: recordSerializers,
  });

  return {
    async send(records) {
      if (records.length === 0) return;
      const deadline = Date.now() + deliveryTimeoutMs;
      let pending: PlacedRecord[] = [];
      for (let attempt = 1; ; attempt++) {
        try {
          pending = attempt === 1 ? await placeRecords(producer, records) : pending;
          await producer.send({ messages: pending.map(toMessage) });
          return;
        } catch (error) {
          const permanent = isPermanentProduceError(error);
          const failure = kafkaError(error, 'produce', !permanent);
          const written = acknowledgedPartitions(error);
          pending = pending.filter((record) => !written.has(`${record.topic}:${record.partition}`));
          const delay = Math.min(250 * 2 ** (attempt - 1), 5_000);
          if (permanent || Date.now() + delay > deadline) throw failure;
          await sleep(delay);
        }
      }
    },
    async close() {
      await producer.close();
    },
  };
}

/** Broker answers that no retry can fix; anything else (elections, restarts, timeouts) is retried. */
const permanentProduceErrors = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'UNSUPPORTED_VERSION',
]);

/**
 * Whether a failed send can never succeed: our own invalid arguments, or a broker answer that no
 * retry can fix.
 */
export function isPermanentProduceError(error: unknown): boolean {
  for (const code of kafkaErrorCodes(error)) {
    if (code === 'PLT_KFK_USER' || code.startsWith('TRIAGE_') || permanentProduceErrors.has(code))
      return true;
  }
  return false;
}

/** Topic-partitions a failed send did write (a partition's batch is written whole or not at all). */
function acknowledgedPartitions(error: unknown): Set<string> {
  const offsets = (error as { produced?: { offsets?: { topic: string; partition: number }[] } } | null)
    ?.produced?.offsets;
  return new Set((offsets ?? []).map((offset) => `${offset.topic}:${offset.partition}`));
}
