// What `prepare` saves a small transaction: intake's publish (a 15 000-byte bundle record and a
// 1 600-byte receipt in one transaction, 4 producers) after a 6 ms wait standing for the media's
// fsync, with the transaction begun during the wait (`prepare`) or not, alternating.
// Run: `node bench/intake/transaction-latency.ts [sends]`.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  bootstrapTopics,
  createTransactionalProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { percentile } from '../lib/stats.ts';

const sends = Number(process.argv[2] ?? 600);
const warmup = 40;
const connection: KafkaConnection = {
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  clientId: 'bench-transaction',
  topicPrefix: `bench-transaction-${process.pid}.`,
};
await bootstrapTopics({
  connection,
  topics: [pipelineTopics.bundles, pipelineTopics.bundleStatus],
  replicationFactor: 1,
});
const bundles = deployedTopic(connection, pipelineTopics.bundles.name);
const status = deployedTopic(connection, pipelineTopics.bundleStatus.name);
const producer = createTransactionalProducer(connection, 'bench-transaction', {
  transactionalId: `${connection.topicPrefix}intake`,
  concurrency: 4,
});
const bundleRecord = Buffer.alloc(15_000, 1);
const receipt = Buffer.alloc(1_600, 2);
const latencies = { 'begun at send': [] as number[], prepared: [] as number[] };
try {
  await producer.start();
  for (let index = 0; index < sends + warmup; index++) {
    const key = `bundle-${index}`;
    const mode = index % 2 === 0 ? 'begun at send' : 'prepared';
    if (mode === 'prepared') {
      producer.prepare([
        { topic: bundles, key },
        { topic: status, key },
      ]);
    }
    await sleep(6);
    const started = performance.now();
    await producer.send([
      { topic: bundles, key, value: bundleRecord },
      { topic: status, key, value: receipt },
    ]);
    if (index >= warmup) latencies[mode].push(performance.now() - started);
  }
  console.log('| transaction | sends | p50 ms | p90 ms | mean ms |\n| --- | ---: | ---: | ---: | ---: |');
  for (const [mode, values] of Object.entries(latencies)) {
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const row = [percentile(values, 0.5), percentile(values, 0.9), mean].map((value) => value.toFixed(2));
    console.log(`| ${mode} | ${values.length} | ${row.join(' | ')} |`);
  }
} finally {
  await producer.close();
  await deletePrefixedTopics(connection, 'bench-transaction');
}
