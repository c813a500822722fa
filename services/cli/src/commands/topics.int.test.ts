// `triage topics bootstrap` against topics of a test's own prefix that drift from the catalogue.
import { Admin, ConfigResourceTypes } from '@platformatic/kafka';
import { baseClientOptions, bundleRecordMaxBytes, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { expect } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const day = 86_400_000;

kafkaTest(
  'given topics whose partitions, retention and record size drift, when bootstrap runs, then it reports them, --apply fixes the configs and leaves the partitions for a manual migration',
  async ({ kafka }) => {
    const admin = new Admin(baseClientOptions(kafka.connection, 'test-drift'));
    const items = kafka.topic(pipelineTopics.items.name);
    const bundles = kafka.topic(pipelineTopics.bundles.name);
    try {
      // items.v1 with half its partitions and a week's retention; bundles without their record size.
      await admin.createTopics({
        topics: [items],
        partitions: 3,
        replicas: 1,
        configs: [{ name: 'retention.ms', value: String(7 * day) }],
      });
      await admin.createTopics({
        topics: [bundles],
        partitions: pipelineTopics.bundles.partitions,
        replicas: 1,
        configs: [{ name: 'retention.ms', value: String(day) }],
      });
      const env = { ...process.env, KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '' };

      const report = await runCli(['topics', 'bootstrap'], { env });
      expect(report.code).toBe(1);
      expect(report.stdout).toContain('drift: 2 topic(s)');
      expect(report.stdout).toContain(
        `${items} partitions: 3, catalogue 6: needs a manual migration (adding partitions moves keys`,
      );
      expect(report.stdout).toContain(
        `${items} retention.ms: ${7 * day}, catalogue ${30 * day}: --apply fixes it`,
      );
      expect(report.stdout).toContain(`${bundles} retention.ms: ${day}, catalogue -1: --apply fixes it`);
      expect(report.stdout).toContain(
        `${bundles} max.message.bytes: 1048588, catalogue ${bundleRecordMaxBytes}: --apply fixes it`,
      );
      expect(await topicConfigs(admin, items)).toMatchObject({ 'retention.ms': String(7 * day) });

      const applied = await runCli(['topics', 'bootstrap', '--apply'], { env });
      expect(applied.code).toBe(1);
      expect(applied.stdout).toContain(`${items} retention.ms: ${7 * day}, catalogue ${30 * day}: fixed`);
      expect(applied.stdout).toContain(
        `${bundles} max.message.bytes: 1048588, catalogue ${bundleRecordMaxBytes}: fixed`,
      );
      expect(await topicConfigs(admin, items)).toMatchObject({ 'retention.ms': String(30 * day) });
      expect(await topicConfigs(admin, bundles)).toMatchObject({
        'retention.ms': '-1',
        'max.message.bytes': String(bundleRecordMaxBytes),
      });
      const metadata = await admin.metadata({ topics: [items] });
      expect(metadata.topics.get(items)?.partitionsCount).toBe(3);

      // Only the partition count is left, and it still fails the run.
      const after = await runCli(['topics', 'bootstrap'], { env });
      expect(after.code).toBe(1);
      expect(after.stdout).toContain('created 0');
      expect(after.stdout).toContain('drift: 1 topic(s)');
      expect(after.stdout.match(/^ {2}[!~] /gm)).toHaveLength(1);
    } finally {
      await admin.close();
    }
  },
);

async function topicConfigs(admin: Admin, topic: string): Promise<Record<string, string | null | undefined>> {
  const [described] = await admin.describeConfigs({
    resources: [
      {
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: topic,
        configurationKeys: ['retention.ms', 'max.message.bytes'],
      },
    ],
  });
  return Object.fromEntries((described?.configs ?? []).map((config) => [config.name, config.value]));
}
