import { randomUUID } from 'node:crypto';
import { Consumer, MessagesStreamModes, stringDeserializer } from '@platformatic/kafka';
import {
  baseClientOptions,
  bootstrapTopics,
  deployedTopic,
  type KafkaConnection,
  type TopicSpec,
} from '@triage/messaging';
import { test as base } from 'vitest';
import { deletePrefixedTopics } from './prefixed-topics.ts';

/** A record read back from a topic by a test. */
export interface ReadRecord {
  partition: number;
  offset: bigint;
  key: string;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface KafkaFixture {
  /** A connection whose topic prefix is unique to this test. */
  connection: KafkaConnection;
  /** Creates the catalogue topics (and dead-letter topics) under this test's prefix. */
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  topic(name: string): string;
  /** Reads a topic from the beginning until `until` holds (or that many records arrived), or `timeoutMs` passed. */
  readTopic(name: string, until: ReadUntil, timeoutMs?: number): Promise<ReadRecord[]>;
}

/** A record count to reach, or a test on what has been read so far. */
export type ReadUntil = number | ((records: readonly ReadRecord[]) => boolean);

export const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** Reads `topic` (a deployed name) from the start with a throwaway group. */
export async function readTopic(
  connection: KafkaConnection,
  topic: string,
  until: ReadUntil,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const done =
    typeof until === 'number' ? (records: readonly ReadRecord[]) => records.length >= until : until;
  const consumer = new Consumer({
    ...baseClientOptions(connection, 'test-reader'),
    groupId: `test-reader-${randomUUID()}`,
    deserializers: {
      key: stringDeserializer,
      headerKey: stringDeserializer,
      headerValue: stringDeserializer,
    },
    autocommit: false,
    maxWaitTime: 200,
  });
  const records: ReadRecord[] = [];
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: false,
  });
  const timer = setTimeout(() => void stream.close(), timeoutMs);
  try {
    if (!done(records)) {
      for await (const message of stream) {
        records.push({
          partition: message.partition,
          offset: message.offset,
          key: message.key ?? '',
          value: Buffer.isBuffer(message.value) ? message.value : null,
          headers: Object.fromEntries(message.headers) as Record<string, string>,
        });
        if (done(records)) break;
      }
    }
  } finally {
    clearTimeout(timer);
    await stream.close().catch(() => undefined);
    await consumer.close(true).catch(() => undefined);
  }
  return records;
}

/** Vitest fixture: each test gets its own topic prefix on the real broker, deleted afterwards. */
export const kafkaTest = base.extend<{ kafka: KafkaFixture }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies by destructuring.
  kafka: async ({}, use) => {
    const prefix = `t${randomUUID().slice(0, 8)}.`;
    const connection: KafkaConnection = {
      brokers: kafkaBrokers,
      clientId: `test-${prefix}`,
      topicPrefix: prefix,
    };
    await use({
      connection,
      createTopics: async (specs) => {
        await bootstrapTopics({ connection, topics: specs, replicationFactor: 1 });
      },
      topic: (name) => deployedTopic(connection, name),
      readTopic: (name, until, timeoutMs) =>
        readTopic(connection, deployedTopic(connection, name), until, timeoutMs),
    });
    await deletePrefixedTopics(connection, 'test-cleanup');
  },
});
