// The cost of encrypting ZIP spools: one large synthetic ZIP (stored media, generated while sent)
// through intake in its own process, with the content store plain and encrypted at rest (which
// also encrypts the spool). Run: `node bench/intake/spool-encryption.ts [MiB per file] [runs]`.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Admin } from '@platformatic/kafka';
import { type IntakeProcess, startIntakeProcess } from '@triage/intake/testing';
import { baseClientOptions, bootstrapTopics, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { largePlan, sendLargeZip } from './large-bundle.ts';

const MiB = 1024 * 1024;
const fileMiB = Number(process.argv[2] ?? 128);
const runs = Number(process.argv[3] ?? 3);
const connection: KafkaConnection = {
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  clientId: 'bench-spool',
  topicPrefix: `bench-spool-${process.pid}.`,
};
await bootstrapTopics({
  connection,
  topics: [pipelineTopics.bundles, pipelineTopics.bundleStatus],
  replicationFactor: 1,
});
const keys = `bench:${randomBytes(32).toString('base64')}`;
const plan = largePlan(2, fileMiB * MiB, []);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
try {
  for (const mode of ['plain', 'encrypted'] as const) {
    const seconds: number[] = [];
    const peaks: number[] = [];
    for (let run = 0; run < runs; run++) {
      const root = await mkdtemp(path.join(tmpdir(), 'bench-spool-'));
      let intake: IntakeProcess | undefined;
      try {
        intake = await startIntakeProcess({
          connection,
          root,
          partners: ['bench-spool'],
          env: {
            LOG_LEVEL: 'info',
            ...(mode === 'encrypted'
              ? { CONTENT_STORE_KEYS: keys, CONTENT_STORE_WRITE_KEY_ID: 'bench' }
              : {}),
          },
        });
        const upload = await sendLargeZip(
          `${intake.url}/v1/bundles`,
          intake.keys.get('bench-spool'),
          `spool-${mode}-${run}`,
          plan,
        ).catch(async (error: unknown) => {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          console.error(intake?.output().slice(-3000));
          throw error;
        });
        seconds.push(upload.seconds);
        peaks.push(await intake.peakRssBytes());
      } finally {
        await intake?.stop();
        await rm(root, { recursive: true, force: true });
      }
    }
    const bodyMB = (2 * fileMiB * MiB) / 1e6;
    console.log(
      `${mode}: ${bodyMB.toFixed(0)} MB ZIP, median ${median(seconds).toFixed(2)} s (${(bodyMB / median(seconds)).toFixed(0)} MB/s) over ${runs} runs [${seconds.map((s) => s.toFixed(2)).join(', ')}], peak RSS median ${(median(peaks) / MiB).toFixed(0)} MiB`,
    );
  }
} finally {
  const admin = new Admin(baseClientOptions(connection, 'bench-spool-admin'));
  await admin
    .deleteTopics({
      topics: [pipelineTopics.bundles, pipelineTopics.bundleStatus].map(
        (t) => `${connection.topicPrefix}${t.name}`,
      ),
    })
    .catch(() => undefined);
  await admin.close();
}
