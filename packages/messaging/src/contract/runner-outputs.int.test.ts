// Contract tests of the runner's output contract on the real broker (issue 9, "Foundation debts"):
// lazily chunked handler outputs, a flush's failed records, unknown errors retried before the
// dead letters, and a changelog record that cannot be decoded.
import { Admin } from '@platformatic/kafka';
import { TriageError } from '@triage/errors';
import { createLogger } from '@triage/logging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { describe, expect } from 'vitest';
import { ConsumerRunner } from '../consumer/consumer-runner.ts';
import type { InboundRecord } from '../consumer/inbound-record.ts';
import type { ConsumerRunnerOptions } from '../consumer/runner-options.ts';
import { type FailedRecord, type Output, outputBarrier } from '../consumer/runner-types.ts';
import { baseClientOptions } from '../kafka/connection.ts';
import { consumerLag } from '../kafka/consumer-lag.ts';
import {
  createRecordProducer,
  type OutboundRecord,
  type RecordProducer,
} from '../producer/record-producer.ts';
import { KeyedStateStore } from '../state/keyed-state-store.ts';
import { deadLetterTopicName } from '../topics/topic-spec.ts';
import { countingChangelog, countingInput, countingOutput } from './counting-stage.ts';

const logger = createLogger({ name: 'runner-outputs-test', level: 'error' });
const codec = createCodec();
const topics = [countingInput, countingOutput, countingChangelog];
const text = (value: Buffer | null) => value?.toString('utf8') ?? '';

/** Writes input records (text values) with the project producer. */
async function produceInputs(kafka: KafkaFixture, records: { key: string; value: string }[]) {
  const producer = createRecordProducer(kafka.connection, 'test-input');
  try {
    await producer.send(
      records.map(({ key, value }) => ({
        topic: kafka.topic(countingInput.name),
        key,
        value: Buffer.from(value),
      })),
    );
  } finally {
    await producer.close();
  }
}

/** A producer that counts its produce calls and their sizes, over the real one. */
function countingProducer(kafka: KafkaFixture): RecordProducer & { calls: number[] } {
  const real = createRecordProducer(kafka.connection, 'test-runner');
  const calls: number[] = [];
  return {
    calls,
    send: (records) => {
      calls.push(records.length);
      return real.send(records);
    },
    close: () => real.close(),
  };
}

function runner(
  kafka: KafkaFixture,
  producer: RecordProducer,
  options: Partial<ConsumerRunnerOptions> & Pick<ConsumerRunnerOptions, 'groupId' | 'handle'>,
) {
  return new ConsumerRunner({
    stage: 'contract',
    connection: kafka.connection,
    input: countingInput,
    producer,
    logger,
    codec,
    ...options,
  });
}

/** Waits until the group has committed every input record. */
async function committedAll(kafka: KafkaFixture, groupId: string, timeoutMs = 30_000): Promise<number> {
  const admin = new Admin(baseClientOptions(kafka.connection, 'test-lag'));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const lag = await consumerLag(admin, groupId, kafka.topic(countingInput.name));
      if (lag.pending === 0 || Date.now() > deadline) return lag.pending;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.close();
  }
}

describe('runner outputs on the real broker', () => {
  kafkaTest(
    'a handler that yields 5 000 outputs: sent lazily over several produce calls, all in order, the record after the barrier last, then the offset committed',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      await produceInputs(kafka, [{ key: 'bulk', value: '5000' }]);
      const producer = countingProducer(kafka);
      const output = kafka.topic(countingOutput.name);
      let yielded = 0;
      let mostAhead = 0;
      const sent = () => producer.calls.reduce((sum, count) => sum + count, 0);
      function* outputs(record: InboundRecord): Generator<Output> {
        for (let index = 0; index < Number(text(record.value)); index++) {
          yielded += 1;
          mostAhead = Math.max(mostAhead, yielded - sent());
          yield { topic: output, key: 'bulk', value: Buffer.from(`item-${index}`) };
        }
        yield outputBarrier;
        yield { topic: output, key: 'bulk', value: Buffer.from('done') };
      }
      const stage = runner(kafka, producer, {
        groupId: 'bulk',
        sendLimits: { maxRecords: 500, maxBytes: 64 * 1024 },
        handle: (record) => outputs(record),
      });
      await stage.start();
      try {
        const records = await kafka.readTopic(countingOutput.name, 5_001, 60_000);
        expect(records.map((record) => text(record.value))).toEqual([
          ...Array.from({ length: 5_000 }, (_, index) => `item-${index}`),
          'done',
        ]);
        // One key, one partition: offsets in the order yielded.
        expect(
          records.every((record, index) => index === 0 || record.offset > records[index - 1]!.offset),
        ).toBe(true);
        expect(producer.calls.length).toBeGreaterThanOrEqual(11);
        expect(Math.max(...producer.calls)).toBeLessThanOrEqual(500);
        // The record after the barrier went out in a produce call of its own.
        expect(producer.calls.at(-1)).toBe(1);
        // Never more than a chunk encoded ahead of what was sent.
        expect(mostAhead).toBeLessThanOrEqual(501);
        expect(await committedAll(kafka, 'bulk')).toBe(0);
        expect(stage.metrics()).toMatchObject({ consumed: 1, produced: 5_001, deadLettered: 0 });
      } finally {
        await stage.stop();
        await producer.close();
      }
    },
  );

  kafkaTest(
    "a flush with failed records: they land on the input's DLQ with the runner's headers and codes, the rest of the batch's outputs are produced, offsets commit",
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      const inputs = Array.from({ length: 20 }, (_, index) => ({
        key: `key-${index % 5}`,
        value: index % 7 === 3 ? `bad-${index}` : `good-${index}`,
      }));
      await produceInputs(kafka, inputs);
      const producer = createRecordProducer(kafka.connection, 'test-runner');
      const output = kafka.topic(countingOutput.name);
      let pending: InboundRecord[] = [];
      const stage = runner(kafka, producer, {
        groupId: 'flush-failures',
        handle: (record) => {
          pending.push(record);
          return [];
        },
        flush: () => {
          const outputs: OutboundRecord[] = [];
          const failed: FailedRecord[] = [];
          for (const record of pending) {
            const value = text(record.value);
            if (value.startsWith('bad')) {
              failed.push({
                record,
                error: new TriageError('TRIAGE_RECORD_INVALID', `cannot summarise ${value}`),
              });
            } else {
              outputs.push({ topic: output, key: record.key ?? '', value: record.value });
            }
          }
          pending = [];
          return { outputs, failed };
        },
      });
      await stage.start();
      try {
        const bad = inputs.filter((input) => input.value.startsWith('bad'));
        const [outputs, letters] = await Promise.all([
          kafka.readTopic(countingOutput.name, inputs.length - bad.length, 60_000),
          kafka.readTopic(deadLetterTopicName(countingInput.name), bad.length, 60_000),
        ]);
        expect(outputs.map((record) => text(record.value)).sort()).toEqual(
          inputs
            .filter((input) => !input.value.startsWith('bad'))
            .map((input) => input.value)
            .sort(),
        );
        expect(letters).toHaveLength(bad.length);
        for (const letter of letters) {
          expect(letter.headers).toMatchObject({
            'triage-error-code': 'TRIAGE_RECORD_INVALID',
            'triage-stage': 'contract',
          });
          const facts = codec.decode('DeadLetter', letter.value ?? Buffer.alloc(0));
          expect(facts).toMatchObject({
            errorCode: 'TRIAGE_RECORD_INVALID',
            stage: 'contract',
            originalTopic: kafka.topic(countingInput.name),
          });
          expect(facts.value?.toString()).toMatch(/^bad-/);
          expect(facts.key?.toString()).toBe(letter.key);
        }
        expect(letters.map((letter) => text(codec.decode('DeadLetter', letter.value!).value)).sort()).toEqual(
          bad.map((input) => input.value).sort(),
        );
        expect(await committedAll(kafka, 'flush-failures')).toBe(0);
        expect(stage.metrics().deadLettered).toBe(bad.length);
      } finally {
        await stage.stop();
        await producer.close();
      }
    },
  );

  kafkaTest(
    'an error that is not a TriageError (EIO) and passes on its second attempt: one retry, no dead letter',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      await produceInputs(kafka, [
        { key: 'a', value: 'flaky' },
        { key: 'a', value: 'steady' },
      ]);
      const producer = createRecordProducer(kafka.connection, 'test-runner');
      const output = kafka.topic(countingOutput.name);
      const attempts: string[] = [];
      const stage = runner(kafka, producer, {
        groupId: 'unknown-error',
        handle: (record, { attempt }) => {
          const value = text(record.value);
          attempts.push(`${value}#${attempt}`);
          if (value === 'flaky' && attempt === 1) {
            throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', errno: -5 });
          }
          return [{ topic: output, key: record.key ?? '', value: record.value }];
        },
      });
      await stage.start();
      try {
        const outputs = await kafka.readTopic(countingOutput.name, 2, 60_000);
        // Retried in place: the record after it still follows it.
        expect(outputs.map((record) => text(record.value))).toEqual(['flaky', 'steady']);
        expect(attempts).toEqual(['flaky#1', 'flaky#2', 'steady#1']);
        expect(await committedAll(kafka, 'unknown-error')).toBe(0);
        expect(stage.metrics()).toMatchObject({ retries: 1, deadLettered: 0 });
        const letters = await kafka.readTopic(deadLetterTopicName(countingInput.name), 1, 2_000);
        expect(letters).toEqual([]);
      } finally {
        await stage.stop();
        await producer.close();
      }
    },
  );

  kafkaTest(
    'an output the broker refuses for good (over max.message.bytes) dead-letters the input it was written for; the rest goes out',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      await produceInputs(kafka, [
        { key: 'a', value: 'small-1' },
        { key: 'b', value: 'huge' },
        { key: 'c', value: 'small-2' },
      ]);
      const producer = createRecordProducer(kafka.connection, 'test-runner', { deliveryTimeoutMs: 5_000 });
      const output = kafka.topic(countingOutput.name);
      const stage = runner(kafka, producer, {
        groupId: 'refused-output',
        handle: (record) => {
          const key = record.key ?? '';
          if (text(record.value) !== 'huge') return [{ topic: output, key, value: record.value }];
          // 2 MiB: over the output topic's 1 MiB record limit, so the broker can never take it.
          return [
            { topic: output, key, value: Buffer.alloc(2 * 1024 * 1024, 1) },
            outputBarrier,
            { topic: output, key, value: Buffer.from('huge-status') },
          ];
        },
      });
      await stage.start();
      try {
        const [outputs, letters] = await Promise.all([
          kafka.readTopic(countingOutput.name, 2, 60_000),
          kafka.readTopic(deadLetterTopicName(countingInput.name), 1, 60_000),
        ]);
        expect(outputs.map((record) => text(record.value)).sort()).toEqual(['small-1', 'small-2']);
        // Nothing the refused input wrote after the refusal went out.
        const more = await kafka.readTopic(countingOutput.name, 3, 2_000);
        expect(more.map((record) => text(record.value))).not.toContain('huge-status');
        expect(letters).toHaveLength(1);
        expect(letters[0]!.headers).toMatchObject({ 'triage-error-code': 'TRIAGE_KAFKA_UNAVAILABLE' });
        expect(text(codec.decode('DeadLetter', letters[0]!.value!).value)).toBe('huge');
        expect(await committedAll(kafka, 'refused-output')).toBe(0);
      } finally {
        await stage.stop();
        await producer.close();
      }
    },
  );

  kafkaTest(
    'an undecodable changelog record: restore sets it aside, counts it, and the partition keeps being processed',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      const changelog = kafka.topic(countingChangelog.name);
      const json = {
        encode: (value: unknown) => Buffer.from(JSON.stringify(value)),
        decode: (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as number,
      };
      // On every partition: a good count, then a record that is not JSON under another key.
      const seed = createRecordProducer(kafka.connection, 'test-seed');
      try {
        await seed.send(
          [0, 1, 2, 3].flatMap((partition) => [
            { topic: changelog, partition, key: `seeded-${partition}`, value: json.encode(10) },
            { topic: changelog, partition, key: `broken-${partition}`, value: Buffer.from('{not json') },
          ]),
        );
      } finally {
        await seed.close();
      }
      const keys = Array.from({ length: 12 }, (_, index) => `key-${index}`);
      await produceInputs(
        kafka,
        keys.map((key) => ({ key, value: 'add' })),
      );
      const store = new KeyedStateStore<number>({
        name: 'contract.seen',
        connection: kafka.connection,
        changelogTopic: changelog,
        codec: json,
        logger,
      });
      const producer = createRecordProducer(kafka.connection, 'test-runner');
      const output = kafka.topic(countingOutput.name);
      const stage = runner(kafka, producer, {
        groupId: 'undecodable-state',
        stores: [store],
        handle: (record) => {
          const key = record.key ?? '';
          const seeded = store.get(record.partition, `seeded-${record.partition}`);
          store.put(record.partition, key, (store.get(record.partition, key) ?? 0) + 1);
          return [{ topic: output, key, value: Buffer.from(`${key}:${seeded}`) }];
        },
      });
      await stage.start();
      try {
        const outputs = await kafka.readTopic(countingOutput.name, keys.length, 60_000);
        // Every input handled, with the good records of its partition's changelog restored.
        expect(outputs.map((record) => text(record.value).split(':')[0]).sort()).toEqual([...keys].sort());
        expect(outputs.every((record) => text(record.value).endsWith(':10'))).toBe(true);
        const restored = store.held.length;
        expect(restored).toBeGreaterThan(0);
        expect(stage.metrics().undecodableState).toEqual({ 'contract.seen': restored });
        expect(store.undecodable).toBe(restored);
        for (const partition of store.held)
          expect(store.get(partition, `broken-${partition}`)).toBeUndefined();
        expect(await committedAll(kafka, 'undecodable-state')).toBe(0);
        expect(stage.metrics().deadLettered).toBe(0);
      } finally {
        await stage.stop();
        await producer.close();
        await store.close();
      }
    },
  );
});
