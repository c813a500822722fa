// Contract test of the consumer runner when the broker itself goes away for a while
// (issue 2, "Messaging runtime": pause, then resume without loss).
import { startKafkaNode, stopKafkaNode } from '@triage/local-stack';
import { createLogger } from '@triage/logging';
import { kafkaTest, type ReadRecord } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { expect } from 'vitest';
import { deployedTopic } from '../kafka/connection.ts';
import { createRecordProducer } from '../producer/record-producer.ts';
import { deadLetterTopicName } from '../topics/topic-spec.ts';
import {
  countingChangelog,
  countingInput,
  countingOutput,
  createCountingStage,
  decodeCountingOutput,
  encodeCountingInput,
} from './counting-stage.ts';

const logger = createLogger({ name: 'outage-test', level: 'silent' });

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);
const outputsFor = (wanted: number[]) => (records: readonly ReadRecord[]) =>
  new Set(records.map((record) => decodeCountingOutput(record.value).id)).size >= wanted.length;

kafkaTest(
  'the broker going away for a while loses nothing: the runner waits, then carries on',
  async ({ kafka }) => {
    await kafka.createTopics([countingInput, countingOutput, countingChangelog]);
    const topic = deployedTopic(kafka.connection, countingInput.name);
    const send = async (batch: number[]) => {
      const producer = createRecordProducer(kafka.connection, 'outage-input');
      try {
        await producer.send(
          batch.map((id) => ({ topic, key: `key-${id % 5}`, value: encodeCountingInput({ id }) })),
        );
      } finally {
        await producer.close();
      }
    };
    const stage = createCountingStage({
      connection: kafka.connection,
      groupId: 'outage',
      logger,
      codec: createCodec(),
    });
    await stage.runner.start();
    try {
      const before = ids(0, 100);
      await send(before);
      await kafka.readTopic(countingOutput.name, outputsFor(before));

      await stopKafkaNode(1, { kill: true });
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      await startKafkaNode(1);

      const after = ids(100, 200);
      await send(after);
      const outputs = await kafka.readTopic(countingOutput.name, outputsFor([...before, ...after]), 90_000);
      expect(new Set(outputs.map((record) => decodeCountingOutput(record.value).id))).toEqual(
        new Set([...before, ...after]),
      );
      const metrics = stage.runner.metrics();
      // The runner did see the outage (and reopened its stream), yet dead-lettered nothing.
      expect(metrics.reconnects).toBeGreaterThan(0);
      expect(metrics.deadLettered).toBe(0);
      const dead = await kafka.readTopic(deadLetterTopicName(countingInput.name), 1, 2_000);
      expect(dead).toHaveLength(0);
    } finally {
      await stage.stop();
    }
  },
);
