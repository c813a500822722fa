// Contract tests of transactional writes on the real broker (issue 11, part 6): what a transaction
// left open or aborted shows to the runtime's readers, fencing by transactional id, and a runner
// reading a transactional input committing past the markers.
import { Admin } from '@platformatic/kafka';
import { createLogger } from '@triage/logging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { describe, expect } from 'vitest';
import { ConsumerRunner } from '../consumer/consumer-runner.ts';
import { baseClientOptions } from '../kafka/connection.ts';
import { consumerLag } from '../kafka/consumer-lag.ts';
import { createRecordProducer } from '../producer/record-producer.ts';
import { createTransactionalProducer } from '../producer/transactional-producer.ts';
import { GlobalTable } from '../state/global-table.ts';
import { PartitionReader } from '../state/partition-reader.ts';
import { countingInput, countingOutput } from './counting-stage.ts';

const logger = createLogger({ name: 'transactions-test', level: 'error' });
const text = {
  encode: (value: string) => Buffer.from(value),
  decode: (bytes: Buffer) => bytes.toString('utf8'),
};

async function committedRecords(
  connection: Parameters<typeof createRecordProducer>[0],
  topic: string,
): Promise<string[]> {
  const reader = new PartitionReader({ connection, topic, name: 'test-read' });
  const keys: string[] = [];
  try {
    await reader.readToEnd((record) => keys.push(record.key));
  } finally {
    await reader.close();
  }
  return keys.sort();
}

describe('transactions on the real broker', () => {
  kafkaTest(
    'a transaction left open is unseen, a successor with the same id aborts it, and tables and readers settle on the markers at the end',
    async ({ kafka }) => {
      await kafka.createTopics([countingInput]);
      const topic = kafka.topic(countingInput.name);
      const transactionalId = `${kafka.connection.topicPrefix}writer`;
      // Keys spread over the 4 partitions; each transaction writes two of them.
      const pair = (name: string) => [
        { topic, key: `${name}-a`, value: Buffer.from(name) },
        { topic, key: `${name}-b`, value: Buffer.from(name) },
      ];
      const first = createTransactionalProducer(kafka.connection, 'writer', { transactionalId });
      await first.send(pair('committed'));

      // A transaction whose records are written and whose commit never comes (a process stuck or killed).
      let hold: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        hold = resolve;
      });
      let written: () => void = () => undefined;
      const inTransaction = new Promise<void>((resolve) => {
        written = resolve;
      });
      const zombie = createTransactionalProducer(kafka.connection, 'zombie', {
        transactionalId,
        beforeCommit: async () => {
          written();
          await held;
        },
      });
      const zombieSend = zombie.send(pair('zombie'));
      await inTransaction;

      // Readers see the committed pair only; the open transaction does not hold them up.
      const table = new GlobalTable<string>({
        name: 'txn-table',
        connection: kafka.connection,
        topic,
        codec: text,
        logger,
      });
      try {
        await table.start();
        expect([...table.entries()].map(([key]) => key).sort()).toEqual(['committed-a', 'committed-b']);

        // A successor registers the same id: the open transaction is aborted, the zombie fenced.
        const successor = createTransactionalProducer(kafka.connection, 'successor', { transactionalId });
        await successor.start();
        hold();
        await expect(zombieSend).rejects.toMatchObject({ code: 'TRIAGE_KAFKA_UNAVAILABLE' });
        await successor.send(pair('after'));

        // The partitions now end in commit and abort markers: a reader from the start still ends.
        expect(await committedRecords(kafka.connection, topic)).toEqual([
          'after-a',
          'after-b',
          'committed-a',
          'committed-b',
        ]);
        const fresh = new GlobalTable<string>({
          name: 'txn-table-fresh',
          connection: kafka.connection,
          topic,
          codec: text,
          logger,
        });
        try {
          await fresh.start();
          expect([...fresh.entries()].map(([key]) => key).sort()).toEqual([
            'after-a',
            'after-b',
            'committed-a',
            'committed-b',
          ]);
        } finally {
          await fresh.close();
        }
        const deadline = Date.now() + 20_000;
        while (!table.get('after-b') && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 50));
        expect(table.get('zombie-a')).toBeUndefined();
        expect(table.size).toBe(4);
        await successor.close();
      } finally {
        await table.close();
        await Promise.all([first.close(), zombie.close()]);
      }
    },
  );

  kafkaTest(
    'a runner on a transactional input commits past the markers: its lag reaches 0',
    async ({ kafka }) => {
      await kafka.createTopics([countingInput, countingOutput]);
      const topic = kafka.topic(countingInput.name);
      const writer = createTransactionalProducer(kafka.connection, 'writer', {
        transactionalId: `${kafka.connection.topicPrefix}writer`,
      });
      const producer = createRecordProducer(kafka.connection, 'runner-out');
      const groupId = `${kafka.connection.topicPrefix}runner`;
      const handled: string[] = [];
      const runner = new ConsumerRunner({
        stage: 'contract',
        connection: kafka.connection,
        input: countingInput,
        groupId,
        producer,
        logger,
        codec: createCodec(),
        handle: (record) => {
          handled.push(record.key ?? '');
          return [];
        },
      });
      const admin = new Admin(baseClientOptions(kafka.connection, 'test-lag'));
      try {
        for (let index = 0; index < 8; index++)
          await writer.send([{ topic, key: `key-${index}`, value: Buffer.from(String(index)) }]);
        await runner.start();
        const deadline = Date.now() + 30_000;
        let pending = -1;
        while (Date.now() < deadline) {
          pending = (await consumerLag(admin, groupId, topic)).pending;
          if (pending === 0 && handled.length === 8) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(handled.sort()).toEqual(Array.from({ length: 8 }, (_, index) => `key-${index}`).sort());
        expect(pending).toBe(0);
      } finally {
        await runner.stop();
        await Promise.all([writer.close(), producer.close(), admin.close()]);
      }
    },
  );

  kafkaTest(
    'a send hinted with prepare finds its transaction begun; one hinted and left unused past half the timeout is aborted, not fenced',
    async ({ kafka }) => {
      await kafka.createTopics([countingInput]);
      const topic = kafka.topic(countingInput.name);
      const transactionTimeoutMs = 1_500;
      const producer = createTransactionalProducer(kafka.connection, 'ahead', {
        transactionalId: `${kafka.connection.topicPrefix}ahead`,
        transactionTimeoutMs,
      });
      const record = (key: string) => ({ topic, key, value: Buffer.from(key) });
      try {
        await producer.send([record('a')]);
        // Hinted with its key and another partition's: the send writes one of them.
        producer.prepare([
          { topic, key: 'b' },
          { topic, key: 'c' },
        ]);
        await producer.send([record('b')]);
        producer.prepare([{ topic, key: 'never-sent' }]);
        // Idle past the coordinator's timeout and its check (every second on the local stack, ten
        // by default): a transaction still open then would be aborted and the producer fenced.
        await new Promise((resolve) => setTimeout(resolve, transactionTimeoutMs + 2_500));
        await producer.send([record('d')]);
        expect(await committedRecords(kafka.connection, topic)).toEqual(['a', 'b', 'd']);
      } finally {
        await producer.close();
      }
    },
  );
});
