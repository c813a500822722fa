// On a three-node cluster of its own (RF 3, min ISR 2): a broker killed while records are being
// produced and consumed loses none, and nothing takes effect twice (issue 2: faults lose nothing
// and duplicate nothing). A resend after a failover may write a record twice to the log; the
// deterministic, set-like processing downstream is what keeps the effect single.
import { stackDown, stackUp, startKafkaNode, stopKafkaNode } from '@triage/local-stack';
import { createLogger } from '@triage/logging';
import { type ReadRecord, readTopic } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import { createRecordProducer } from '../producer/record-producer.ts';
import { bootstrapTopics } from '../topics/bootstrap-topics.ts';
import {
  countingChangelog,
  countingInput,
  countingOutput,
  createCountingStage,
  decodeCountingOutput,
  encodeCountingInput,
} from './counting-stage.ts';

const distinctIds = (records: readonly ReadRecord[]) =>
  new Set(records.map((record) => (JSON.parse(String(record.value)) as { id: number }).id)).size;

// Below Linux's ephemeral range (32768-60999): a client's outgoing connection can hold a port in
// it for a moment, and a broker that cannot bind fails to start.
const port = Number(process.env.TRIAGE_FAULT_KAFKA_PORT ?? 29_092);
const cluster = { kafkaPort: port, kafkaNodes: 3 as const, elasticsearch: false };
const logger = createLogger({ name: 'cluster-test', level: 'silent' });
let connection: KafkaConnection;

beforeAll(async () => {
  const up = await stackUp(cluster);
  connection = { brokers: up.kafka!.brokers, clientId: 'cluster-test', topicPrefix: `c${Date.now()}.` };
  await bootstrapTopics({
    connection,
    topics: [countingInput, countingOutput, countingChangelog],
    replicationFactor: 3,
  });
});

afterAll(async () => {
  await stackDown({ kafkaPort: port, elasticsearch: false });
});

it('a broker killed mid-stream loses no acknowledged record and has no effect twice', async () => {
  const stage = createCountingStage({ connection, groupId: 'cluster', logger, codec: createCodec() });
  await stage.runner.start();
  const producer = createRecordProducer(connection, 'cluster-input');
  const topic = deployedTopic(connection, countingInput.name);
  const total = 6_000;
  try {
    for (let batch = 0; batch < 12; batch++) {
      if (batch === 4) await stopKafkaNode(2, { ...cluster, kill: true });
      if (batch === 9) await startKafkaNode(2, cluster);
      const ids = Array.from({ length: total / 12 }, (_, index) => batch * (total / 12) + index);
      // Resolves only once every record is on two in-sync replicas (acks=all, min ISR 2).
      await producer.send(
        ids.map((id) => ({ topic, key: `key-${id % 7}`, value: encodeCountingInput({ id }) })),
      );
    }
    const input = await readTopic(connection, topic, (records) => distinctIds(records) >= total, 60_000);
    expect(distinctIds(input)).toBe(total);

    const outputs = await readTopic(
      connection,
      deployedTopic(connection, countingOutput.name),
      (records) => new Set(records.map((record) => decodeCountingOutput(record.value).id)).size >= total,
      120_000,
    );
    expect(new Set(outputs.map((record) => decodeCountingOutput(record.value).id)).size).toBe(total);
    // The effect: each key's highest count is its number of distinct ids, never more.
    const highest = new Map<string, number>();
    for (const record of outputs) {
      const output = decodeCountingOutput(record.value);
      highest.set(output.key, Math.max(highest.get(output.key) ?? 0, output.count));
    }
    for (let key = 0; key < 7; key++) {
      const expected = Array.from({ length: total }, (_, id) => id).filter((id) => id % 7 === key).length;
      expect(highest.get(`key-${key}`), `key-${key}`).toBe(expected);
    }
    expect(stage.runner.metrics().deadLettered).toBe(0);
  } finally {
    await producer.close();
    await stage.stop();
  }
});
