// Dead-letter redrive on the real broker (issue 14, item 2; docs/adr/0013-dead-letter-redrive.md):
// two stages read one topic in their own groups and share its dead-letter topic. One of them
// fails some records while it is broken; once it is fixed, a redrive sends them back so that
// that stage processes each once and the other stage never sees them again.
import { createLogger } from '@triage/logging';
import { type KafkaFixture, kafkaTest, topicRecordCount } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { expect } from 'vitest';
import { readDeadLetters, type StoredDeadLetter } from '../dead-letter/read-dead-letters.ts';
import { redriveDeadLetters } from '../dead-letter/redrive-dead-letters.ts';
import { redriveHeader } from '../dead-letter/redrive-marker.ts';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import { createRecordProducer, type RecordProducer } from '../producer/record-producer.ts';
import { opsTopics } from '../topics/pipeline-topics.ts';
import { deadLetterTopicName, type TopicSpec } from '../topics/topic-spec.ts';
import {
  type CountingInput,
  countingChangelogOf,
  countingInput,
  countingOutput,
  createCountingStage,
  encodeCountingInput,
} from './counting-stage.ts';

const logger = createLogger({ name: 'redrive-test', level: 'warn' });
const codec = createCodec();
const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
const ids = Array.from({ length: 24 }, (_, id) => id);
const poison = new Set([3, 10, 17, 22]);

async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The input, the output, each stage's changelog and the ledger, under the test's prefix. */
function createTopicsFor(kafka: KafkaFixture, input: TopicSpec, stages: readonly string[]): Promise<void> {
  return kafka.createTopics([
    input,
    countingOutput,
    ...stages.map(countingChangelogOf),
    opsTopics.redriveLedger,
  ]);
}

/** A redrive by the test's operator. */
const redrive = (
  connection: KafkaConnection,
  producer: RecordProducer,
  letters: readonly StoredDeadLetter[],
) => redriveDeadLetters({ connection, codec, producer, letters, operator: 'test-operator' });

const countOf = (seen: readonly number[], id: number) => seen.filter((entry) => entry === id).length;

kafkaTest(
  'given stage A broken on some records and stage B handling all, when A is fixed and its dead letters redriven twice, then A processes each once, B never again, and the second redrive sends nothing',
  async ({ kafka }) => {
    const { connection } = kafka;
    await createTopicsFor(kafka, countingInput, ['alpha', 'bravo']);
    const input = deployedTopic(connection, countingInput.name);
    const producer = createRecordProducer(connection, 'test-input');
    await producer.send(
      ids.map((id) => ({
        topic: input,
        key: keys[id % keys.length]!,
        value: encodeCountingInput({ id }),
        headers: { traceparent: `trace-${id}` },
      })),
    );

    let broken = true;
    const seenByA: number[] = [];
    const seenByB: number[] = [];
    const stageA = createCountingStage({
      connection,
      groupId: 'group-a',
      stage: 'alpha',
      logger,
      codec,
      rejects: (record: CountingInput) => broken && poison.has(record.id),
      onRecord: (record) => seenByA.push(record.id),
    });
    const stageB = createCountingStage({
      connection,
      groupId: 'group-b',
      stage: 'bravo',
      logger,
      codec,
      onRecord: (record) => seenByB.push(record.id),
    });
    await Promise.all([stageA.runner.start(), stageB.runner.start()]);
    try {
      await waitFor(
        () => seenByB.length === ids.length && stageA.runner.metrics().deadLettered === poison.size,
        'both stages to read every record',
      );
      expect(seenByA.filter((id) => poison.has(id))).toEqual([]);

      const letters = await readDeadLetters({ connection, codec, catalogue: [countingInput] });
      expect(letters.map((letter) => letter.deadLetter.stage)).toEqual(['alpha', 'alpha', 'alpha', 'alpha']);
      expect(letters.map((letter) => letter.id)).toEqual(
        [0, 1, 2, 3].map((offset) => `${deadLetterTopicName(countingInput.name)}:0:${offset}`),
      );

      // The cause is fixed, then the dead letters go back.
      broken = false;
      const first = await redrive(connection, producer, letters);
      expect(first.counts).toEqual({ redrive: 4, 'already-redriven': 0, superseded: 0 });

      // B reads the copies too (its consumed count includes what it commits past unhandled).
      const allRead = ids.length + poison.size;
      await waitFor(
        () =>
          [...poison].every((id) => countOf(seenByA, id) === 1) &&
          stageB.runner.metrics().consumed === allRead,
        'both stages to read the redriven records',
      );
      // Let a wrongly delivered copy show before the verdict.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      for (const id of poison) {
        expect(countOf(seenByA, id), `A handled ${id}`).toBe(1);
        expect(countOf(seenByB, id), `B handled ${id}`).toBe(1);
      }
      expect(seenByA).toHaveLength(ids.length);
      expect(seenByB).toHaveLength(ids.length);
      expect(stageA.runner.metrics().redrivesSkipped).toBe(0);
      expect(stageB.runner.metrics().redrivesSkipped).toBe(poison.size);
      expect(stageA.runner.metrics().deadLettered).toBe(poison.size);

      // The copies: original key (so partition), value and headers, plus the marker.
      const originals = await kafka.readTopic(countingInput.name, ids.length + poison.size);
      const copies = originals.filter((record) => record.headers[redriveHeader.stage] !== undefined);
      expect(copies).toHaveLength(poison.size);
      for (const copy of copies) {
        const id = JSON.parse(String(copy.value)).id as number;
        const original = originals.find(
          (record) => record !== copy && JSON.parse(String(record.value)).id === id,
        )!;
        expect(copy.key).toBe(original.key);
        expect(copy.partition).toBe(original.partition);
        expect(copy.headers.traceparent).toBe(`trace-${id}`);
        expect(copy.headers[redriveHeader.stage]).toBe('alpha');
        expect(copy.headers[redriveHeader.origin]).toBe(
          `${countingInput.name}:${original.partition}:${original.offset}`,
        );
        expect(letters.map((letter) => letter.id)).toContain(copy.headers[redriveHeader.of]);
      }

      // Idempotent: the ledger holds all four, so a second redrive sends nothing.
      const again = await readDeadLetters({ connection, codec, catalogue: [countingInput] });
      const second = await redrive(connection, producer, again);
      expect(second.counts).toEqual({ redrive: 0, 'already-redriven': 4, superseded: 0 });
      expect(await topicRecordCount(connection, kafka.topic(countingInput.name))).toBe(
        BigInt(ids.length + poison.size),
      );
    } finally {
      await Promise.all([stageA.stop(), stageB.stop()]);
      await producer.close();
    }
  },
);

kafkaTest(
  'given a stage still broken, when its dead letter is redriven, then it is dead-lettered again with the marker and origin among its headers',
  async ({ kafka }) => {
    const { connection } = kafka;
    await createTopicsFor(kafka, countingInput, ['alpha']);
    const producer = createRecordProducer(connection, 'test-input');
    await producer.send([
      { topic: kafka.topic(countingInput.name), key: 'alpha', value: encodeCountingInput({ id: 7 }) },
    ]);
    const stage = createCountingStage({
      connection,
      groupId: 'group-a',
      stage: 'alpha',
      logger,
      codec,
      rejects: () => true,
    });
    await stage.runner.start();
    try {
      await waitFor(() => stage.runner.metrics().deadLettered === 1, 'the first dead letter');
      const letters = await readDeadLetters({ connection, codec, catalogue: [countingInput] });
      await redrive(connection, producer, letters);
      await waitFor(() => stage.runner.metrics().deadLettered === 2, 'the second dead letter');

      const [, again] = await readDeadLetters({ connection, codec, catalogue: [countingInput] });
      const headers = Object.fromEntries(
        again!.deadLetter.headers.map((header) => [header.key, header.value?.toString('utf8')]),
      );
      expect(headers[redriveHeader.stage]).toBe('alpha');
      expect(headers[redriveHeader.of]).toBe(letters[0]!.id);
      expect(headers[redriveHeader.origin]).toBe(
        `${countingInput.name}:${letters[0]!.deadLetter.partition}:0`,
      );
      // Redriven again, it keeps the first origin and names the newer dead letter.
      const third = await redrive(connection, producer, [again!]);
      expect(third.counts.redrive).toBe(1);
      await waitFor(() => stage.runner.metrics().deadLettered === 3, 'the third dead letter');
      const all = await readDeadLetters({ connection, codec, catalogue: [countingInput] });
      const last = Object.fromEntries(
        all[2]!.deadLetter.headers.map((header) => [header.key, header.value?.toString('utf8')]),
      );
      expect(last[redriveHeader.of]).toBe(again!.id);
      expect(last[redriveHeader.origin]).toBe(headers[redriveHeader.origin]);
    } finally {
      await stage.stop();
      await producer.close();
    }
  },
);

kafkaTest(
  'given a compacted topic, when dead letters are redriven, then one whose key has a newer record is superseded and not sent, and every stage handles the copy that is sent',
  async ({ kafka }) => {
    const { connection } = kafka;
    const compacted = { ...countingInput, name: 'contract.compacted.v1', cleanupPolicy: 'compact' as const };
    await createTopicsFor(kafka, compacted, ['alpha', 'bravo']);
    const producer = createRecordProducer(connection, 'test-input');
    const topic = kafka.topic(compacted.name);
    // id 1 is superseded under its key by id 3; id 2 stays its key's latest.
    await producer.send([
      { topic, key: 'alpha', value: encodeCountingInput({ id: 1 }) },
      { topic, key: 'bravo', value: encodeCountingInput({ id: 2 }) },
      { topic, key: 'alpha', value: encodeCountingInput({ id: 3 }) },
    ]);
    let broken = true;
    const seenByA: number[] = [];
    const seenByB: number[] = [];
    const common = { connection, logger, codec, input: compacted };
    const stageA = createCountingStage({
      ...common,
      groupId: 'group-a',
      stage: 'alpha',
      rejects: (record) => broken && record.id !== 3,
      onRecord: (record) => seenByA.push(record.id),
    });
    const stageB = createCountingStage({
      ...common,
      groupId: 'group-b',
      stage: 'bravo',
      onRecord: (record) => seenByB.push(record.id),
    });
    await Promise.all([stageA.runner.start(), stageB.runner.start()]);
    try {
      await waitFor(
        () => seenByB.length === 3 && stageA.runner.metrics().deadLettered === 2,
        'both stages to read every record',
      );
      broken = false;
      const letters = await readDeadLetters({ connection, codec, catalogue: [compacted] });
      const first = await redrive(connection, producer, letters);
      expect(first.counts).toEqual({ redrive: 1, 'already-redriven': 0, superseded: 1 });
      expect(
        first.plan.map((entry) => [JSON.parse(String(entry.letter.deadLetter.value)).id, entry.action]),
      ).toEqual(
        expect.arrayContaining([
          [1, 'superseded'],
          [2, 'redrive'],
        ]),
      );
      await waitFor(
        () => countOf(seenByA, 2) === 1 && countOf(seenByB, 2) === 2,
        'both stages to handle the copy',
      );
      expect(countOf(seenByA, 1)).toBe(0);
      expect(stageB.runner.metrics().redrivesSkipped).toBe(0);

      const second = await redrive(connection, producer, letters);
      expect(second.counts).toEqual({ redrive: 0, 'already-redriven': 2, superseded: 0 });
      expect(await topicRecordCount(connection, kafka.topic(compacted.name))).toBe(4n);
    } finally {
      await Promise.all([stageA.stop(), stageB.stop()]);
      await producer.close();
    }
  },
);
