import { randomUUID } from 'node:crypto';
import { test as base } from 'vitest';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import { bootstrapTopics } from '../topics/bootstrap-topics.ts';
import type { TopicSpec } from '../topics/topic-spec.ts';
import { deletePrefixedTopics } from './prefixed-topics.ts';
import { type ReadRecord, type ReadUntil, readTopic } from './read-topic.ts';

export interface KafkaFixture {
  /** A connection whose topic prefix is unique to this test. */
  connection: KafkaConnection;
  /** Creates the catalogue topics (and dead-letter topics) under this test's prefix. */
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  topic(name: string): string;
  /** Reads a topic from the beginning until `until` holds (or that many records arrived), or `timeoutMs` passed. */
  readTopic(name: string, until: ReadUntil, timeoutMs?: number): Promise<ReadRecord[]>;
}

export const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

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
