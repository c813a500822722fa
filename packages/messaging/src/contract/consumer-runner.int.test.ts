// Contract tests of the consumer runner on the real broker (issue 2, "Messaging runtime").
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@triage/logging';
import { kafkaTest, type ReadRecord, readTopic } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { describe, expect } from 'vitest';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
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

const logger = createLogger({ name: 'contract-test', level: 'warn' });
const codec = createCodec();
const topics = [countingInput, countingOutput, countingChangelog];
const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

async function produceInputs(connection: KafkaConnection, ids: number[], poison: Set<number> = new Set()) {
  const producer = createRecordProducer(connection, 'test-input');
  try {
    await producer.send(
      ids.map((id) => ({
        topic: deployedTopic(connection, countingInput.name),
        key: keys[id % keys.length]!,
        value: poison.has(id) ? Buffer.from('{not json') : encodeCountingInput({ id }),
      })),
    );
  } finally {
    await producer.close();
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops reading once every one of `ids` has an output. */
const allOutputs = (ids: number[]) => (records: readonly ReadRecord[]) =>
  new Set(records.map((record) => decodeCountingOutput(record.value).id)).size >= ids.length;

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

/** The latest count per key in the store's changelog: the stage's durable effect. */
async function changelogCounts(connection: KafkaConnection, expected: number): Promise<Map<string, number>> {
  const records = await readTopic(
    connection,
    deployedTopic(connection, countingChangelog.name),
    expected,
    10_000,
  );
  const latest = new Map<string, number>();
  for (const record of records) latest.set(record.key, (JSON.parse(String(record.value)) as number[]).length);
  return latest;
}

function expectedCounts(ids: number[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) {
    const key = keys[id % keys.length]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function spawnStage(connection: KafkaConnection, groupId: string, delayMs: number): ChildProcess {
  const script = fileURLToPath(new URL('./counting-stage-process.ts', import.meta.url));
  return spawn(process.execPath, [script], {
    env: {
      ...process.env,
      KAFKA_BROKERS: connection.brokers.join(','),
      TOPIC_PREFIX: connection.topicPrefix ?? '',
      GROUP_ID: groupId,
      DELAY_MS: String(delayMs),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

describe('consumer runner on the real broker', () => {
  kafkaTest(
    'a poison record goes to the DLQ with its bytes and code, and the partition keeps moving',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      const ids = range(0, 40);
      const poison = new Set([3, 17]);
      await produceInputs(kafka.connection, ids, poison);
      const stage = createCountingStage({ connection: kafka.connection, groupId: 'poison', logger, codec });
      await stage.runner.start();
      try {
        const outputs = await kafka.readTopic(countingOutput.name, ids.length - poison.size);
        expect(new Set(outputs.map((record) => decodeCountingOutput(record.value).id))).toEqual(
          new Set(ids.filter((id) => !poison.has(id))),
        );
        const dead = await kafka.readTopic(deadLetterTopicName(countingInput.name), poison.size);
        expect(dead).toHaveLength(2);
        for (const letter of dead) {
          const facts = codec.decode('DeadLetter', letter.value ?? Buffer.alloc(0));
          expect(facts.errorCode).toBe('TRIAGE_RECORD_INVALID');
          expect(facts.stage).toBe('contract');
          expect(facts.originalTopic).toBe(kafka.topic(countingInput.name));
          expect(facts.value?.toString()).toBe('{not json');
          expect(facts.key?.toString()).toBe(letter.key);
          expect(letter.headers['triage-error-code']).toBe('TRIAGE_RECORD_INVALID');
        }
        expect(stage.runner.metrics().deadLettered).toBe(2);
      } finally {
        await stage.stop();
      }
    },
  );

  kafkaTest('a consumer killed mid-batch loses nothing and duplicates no effect', async ({ kafka }) => {
    await kafka.createTopics(topics);
    const ids = range(0, 400);
    await produceInputs(kafka.connection, ids);
    const child = spawnStage(kafka.connection, 'killed', 5);
    let processedByChild = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      processedByChild += String(chunk)
        .split('\n')
        .filter((line) => line.startsWith('processed')).length;
    });
    await waitFor(() => processedByChild >= 120);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(processedByChild).toBeLessThan(ids.length);

    const stage = createCountingStage({ connection: kafka.connection, groupId: 'killed', logger, codec });
    await stage.runner.start();
    try {
      const outputs = await kafka.readTopic(countingOutput.name, allOutputs(ids));
      // Nothing lost: every input produced an output.
      expect(new Set(outputs.map((record) => decodeCountingOutput(record.value).id))).toEqual(new Set(ids));
      // No duplicate effect: re-delivered records did not count twice.
      const counts = await changelogCounts(kafka.connection, outputs.length);
      expect(counts).toEqual(expectedCounts(ids));
    } finally {
      await stage.stop();
    }
  });

  kafkaTest(
    'a rebalance moves partitions with their state, which the new owner restores',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      const first = range(0, 200);
      await produceInputs(kafka.connection, first);
      const a = createCountingStage({ connection: kafka.connection, groupId: 'rebalance', logger, codec });
      await a.runner.start();
      await waitFor(
        async () =>
          (await changelogCounts(kafka.connection, first.length)).size === keys.length &&
          a.runner.metrics().consumed >= first.length,
      );

      const b = createCountingStage({ connection: kafka.connection, groupId: 'rebalance', logger, codec });
      await b.runner.start();
      try {
        // Wait until the group has split the partitions between the two instances.
        await waitFor(
          () =>
            b.runner.metrics().lag !== undefined &&
            a.store.size(0) + a.store.size(1) + a.store.size(2) + a.store.size(3) < keys.length,
          60_000,
        );
        const second = range(200, 400);
        await produceInputs(kafka.connection, second);
        const all = [...first, ...second];
        const outputs = await kafka.readTopic(countingOutput.name, allOutputs(all));
        expect(new Set(outputs.map((record) => decodeCountingOutput(record.value).id))).toEqual(new Set(all));
        // Each key's highest count equals its distinct ids: whoever took a partition over
        // continued from the restored state rather than from zero.
        const highest = new Map<string, number>();
        for (const record of outputs) {
          const output = decodeCountingOutput(record.value);
          highest.set(output.key, Math.max(highest.get(output.key) ?? 0, output.count));
        }
        expect(highest).toEqual(expectedCounts(all));
        expect(b.runner.metrics().consumed).toBeGreaterThan(0);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    },
  );

  kafkaTest(
    'while a dependency is down the runner holds off and retries, then resumes with no dead letters',
    async ({ kafka }) => {
      await kafka.createTopics(topics);
      let down = true;
      const stage = createCountingStage({
        connection: kafka.connection,
        groupId: 'dependency',
        logger,
        codec,
        dependencyDown: () => down,
      });
      await stage.runner.start();
      try {
        const ids = range(0, 60);
        await produceInputs(kafka.connection, ids);
        await waitFor(() => stage.runner.metrics().retries >= 5);
        expect(stage.runner.metrics().paused).toBe(true);
        expect(stage.runner.metrics().consumed).toBe(0);
        down = false;
        const outputs = await kafka.readTopic(countingOutput.name, ids.length);
        expect(new Set(outputs.map((record) => decodeCountingOutput(record.value).id))).toEqual(new Set(ids));
        expect(stage.runner.metrics().deadLettered).toBe(0);
        expect(stage.runner.metrics().paused).toBe(false);
      } finally {
        await stage.stop();
      }
    },
  );

  kafkaTest('SIGTERM drains: the in-hand batch is committed before the process exits', async ({ kafka }) => {
    await kafka.createTopics(topics);
    const ids = range(0, 300);
    await produceInputs(kafka.connection, ids);
    const child = spawnStage(kafka.connection, 'drain', 5);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += String(chunk);
    });
    await waitFor(() => output.split('\n').filter((line) => line.startsWith('processed')).length >= 60);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const processed = output.split('\n').filter((line) => line.startsWith('processed')).length;
    const metrics = JSON.parse(
      output
        .split('\n')
        .find((line) => line.startsWith('stopped '))!
        .slice('stopped '.length),
    );
    // Everything it handled was produced and committed: the batch in hand was finished, not dropped.
    expect(metrics.consumed).toBe(processed);

    // A successor re-delivers nothing that the drained process had committed.
    let redelivered = 0;
    const stage = createCountingStage({
      connection: kafka.connection,
      groupId: 'drain',
      logger,
      codec,
      onRecord: () => {
        redelivered += 1;
      },
    });
    await stage.runner.start();
    try {
      await waitFor(() => stage.runner.metrics().consumed >= ids.length - processed);
      expect(redelivered).toBe(ids.length - processed);
    } finally {
      await stage.stop();
    }
  });
});
