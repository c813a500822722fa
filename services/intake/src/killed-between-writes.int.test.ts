// Intake killed (SIGKILL) after a bundle is written to Kafka and before its receipt is committed
// (issue 11, part 6; ADR 0016): readers never see that bundle, and after a restart the next
// revision of the same report gets the version the lost one had been given, once, so no two
// different revisions share a version.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import {
  baseClientOptions,
  deployedTopic,
  type KafkaConnection,
  PartitionReader,
  pipelineTopics,
  topicOffsets,
  topicPartitions,
} from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { type Bundle, type BundleStatus, createCodec } from '@triage/schemas';
import { expect } from 'vitest';
import { bearer, jsonBundle, minimalReport } from './testing/intake-harness.ts';
import { type IntakeProcess, startIntakeProcess } from './testing/intake-process.ts';

const codec = createCodec();
const partner = 'hotline-crash';

/** The records of a topic that readers see (committed ones), decoded. */
async function committed<T>(connection: KafkaConnection, name: string, record: string): Promise<T[]> {
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, name),
    name: 'crash-test',
  });
  const values: T[] = [];
  try {
    await reader.readToEnd((read) => {
      if (read.value) values.push(codec.decode(record as 'Bundle', read.value) as T);
    });
  } finally {
    await reader.close();
  }
  return values;
}

/** Offsets written to a topic, committed or not (the high watermarks summed). */
async function written(connection: KafkaConnection, name: string): Promise<bigint> {
  const admin = new Admin(baseClientOptions(connection, 'crash-test-admin'));
  try {
    const topic = deployedTopic(connection, name);
    const ends = await topicOffsets(
      admin,
      topic,
      await topicPartitions(admin, topic),
      ListOffsetTimestamps.LATEST,
    );
    return [...ends.values()].reduce((sum, end) => sum + end, 0n);
  } finally {
    await admin.close();
  }
}

function revision(bundleRef: string, text: string): Buffer {
  return jsonBundle(bundleRef, [minimalReport('920001', { additionalInfo: text })]);
}

async function upload(intake: IntakeProcess, body: Buffer): Promise<Response> {
  return fetch(`${intake.url}/v1/bundles`, {
    method: 'POST',
    headers: { ...bearer(intake.keys.get(partner)!), 'content-type': 'application/json' },
    body,
  });
}

async function reportsOf(response: Response): Promise<unknown[]> {
  return ((await response.json()) as { reports: unknown[] }).reports;
}

kafkaTest(
  'given intake killed between publishing a bundle and committing its receipt, then readers never see it and no two revisions share a version',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
    const root = await mkdtemp(path.join(tmpdir(), 'intake-crash-'));
    const instance = { INTAKE_INSTANCE_ID: 'crash-test' };
    let intake: IntakeProcess | undefined;
    try {
      intake = await startIntakeProcess({
        connection: kafka.connection,
        root,
        partners: [partner],
        env: { ...instance, INTAKE_TEST_CRASH_AFTER: 'bundle-publish' },
      });
      // The process kills itself mid-request: the partner gets no answer, so no 202.
      await expect(upload(intake, revision('rev-a', 'first revision'))).rejects.toThrow();
      expect(await intake.stop()).toBeNull();

      // The bundle and its receipt are on the log, in a transaction nobody committed.
      expect(await written(kafka.connection, pipelineTopics.bundles.name)).toBe(1n);
      expect(await written(kafka.connection, pipelineTopics.bundleStatus.name)).toBe(1n);
      expect(await committed(kafka.connection, pipelineTopics.bundles.name, 'Bundle')).toEqual([]);

      // Restarted as the same instance: its predecessor's transaction is aborted.
      intake = await startIntakeProcess({
        connection: kafka.connection,
        root,
        partners: [partner],
        env: instance,
      });
      const second = await upload(intake, revision('rev-b', 'second revision'));
      expect(second.status).toBe(202);
      expect(await reportsOf(second)).toMatchObject([{ partnerReportId: '920001', version: 1 }]);
      const third = await upload(intake, revision('rev-c', 'third revision'));
      expect(third.status).toBe(202);
      expect(await reportsOf(third)).toMatchObject([{ partnerReportId: '920001', version: 2 }]);

      // What the splitter reads: each version once, each with its own revision; the lost one never.
      const bundles = await committed<Bundle>(kafka.connection, pipelineTopics.bundles.name, 'Bundle');
      const versions = bundles.flatMap((bundle) =>
        bundle.reports.map(({ report }) => [bundle.partnerBundleRef, report.version, report.additionalInfo]),
      );
      expect(versions.sort()).toEqual([
        ['rev-b', 1, 'second revision'],
        ['rev-c', 2, 'third revision'],
      ]);
      const receipts = await committed<BundleStatus>(
        kafka.connection,
        pipelineTopics.bundleStatus.name,
        'BundleStatus',
      );
      expect(receipts.map((receipt) => receipt.partnerBundleRef).sort()).toEqual(['rev-b', 'rev-c']);

      // The partner re-sends the lost bundle: accepted now, as the next version.
      const resent = await upload(intake, revision('rev-a', 'first revision'));
      expect(resent.status).toBe(202);
      expect(await reportsOf(resent)).toMatchObject([{ version: 3 }]);
    } finally {
      await intake?.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
);
