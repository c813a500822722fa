import { randomBytes } from 'node:crypto';
import { Admin, ProduceAcks, Producer, stringSerializer } from '@platformatic/kafka';

const brokers = ['127.0.0.1:9092'];
const prefix = `scratch-txn-${Date.now()}-`;
const bundles = `${prefix}bundles`;
const status = `${prefix}status`;
const admin = new Admin({ clientId: 'scratch', bootstrapBrokers: brokers });
await admin.createTopics({ topics: [bundles], partitions: 12, replicas: 1 });
await admin.createTopics({
  topics: [status],
  partitions: 12,
  replicas: 1,
  configs: [{ name: 'cleanup.policy', value: 'compact' }],
});
const serializers = {
  key: stringSerializer,
  value: (v?: Buffer) => v,
  headerKey: stringSerializer,
  headerValue: stringSerializer,
};
const base = {
  clientId: 'scratch',
  bootstrapBrokers: brokers,
  idempotent: true,
  acks: ProduceAcks.ALL,
  serializers,
  retries: 5,
  timeout: 10_000,
} as const;
const plain = new Producer<string, Buffer, string, string>({ ...base });
const txn = new Producer<string, Buffer, string, string>({
  ...base,
  retries: Number(process.env.R ?? 5),
  retryDelay: Number(process.env.D ?? 1000),
  transactionalId: `${prefix}intake-1`,
});
const n = Number(process.argv[2] ?? 200);
const size = Number(process.argv[3] ?? 20_000);
const value = randomBytes(size);
const receipt = randomBytes(1_600);
function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2);
}
async function run(label: string, one: (i: number) => Promise<void>) {
  for (let i = 0; i < 20; i++) await one(i); // warm up
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await one(i);
    times.push(performance.now() - s);
  }
  const total = performance.now() - t0;
  console.log(
    `${label}: n=${n} record=${size}B p50=${pct(times, 0.5)}ms p90=${pct(times, 0.9)}ms p99=${pct(times, 0.99)}ms max=${pct(times, 1)}ms ${((n / total) * 1000).toFixed(0)}/s`,
  );
}
for (let round = 0; round < 2; round++) {
  await run('two sends (today)', async (i) => {
    await plain.send({ messages: [{ topic: bundles, key: `b${i}`, value }] });
    await plain.send({ messages: [{ topic: status, key: `b${i}`, value: receipt }] });
  });
  await run('one transaction ', async (i) => {
    const t = await txn.beginTransaction();
    await t.send({
      messages: [
        { topic: bundles, key: `b${i}`, value },
        { topic: status, key: `b${i}`, value: receipt },
      ],
    });
    await t.commit();
  });
}
await plain.close();
await txn.close();
await admin.deleteTopics({ topics: [bundles, status] });
await admin.close();
