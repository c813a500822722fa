// On a three-node cluster of its own (RF 3, min ISR 2): a broker killed while records are being
// produced and consumed loses none and writes none twice (issue 2: faults lose nothing and
// duplicate nothing).
import { stackDown, stackUp, startKafkaNode, stopKafkaNode } from '@triage/local-stack';
import { createLogger } from '@triage/logging';
import { createCodec } from '@triage/schemas';
import { readTopic } from '@triage/testkit/fixtures';
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

const port = Number(process.env.TRIAGE_FAULT_KAFKA_PORT ?? 39_092);
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

it('a broker killed mid-stream loses no acknowledged record and duplicates none', async () => {
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
    const input = await readTopic(connection, topic, total + 100, 20_000);
    const ids = input.map((record) => JSON.parse(String(record.value)).id as number);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);

    const outputs = await readTopic(
      connection,
      deployedTopic(connection, countingOutput.name),
      (records) => new Set(records.map((record) => decodeCountingOutput(record.value).id)).size >= total,
      120_000,
    );
    expect(new Set(outputs.map((record) => decodeCountingOutput(record.value).id)).size).toBe(total);
    expect(stage.runner.metrics().deadLettered).toBe(0);
  } finally {
    await producer.close();
    await stage.stop();
  }
});
