import { randomBytes } from 'node:crypto';
import { Admin, Consumer, Producer, stringSerializers } from '@platformatic/kafka';
import { baseClientOptions, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { describe, expect } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const hour = 3_600_000;
// Group ids are cluster-wide, not under the topic prefix: this file's splitter group is its own.
const splitterGroup = `splitter-replay-${randomBytes(4).toString('hex')}`;

const replay = (kafka: KafkaFixture, ...args: string[]) =>
  runCli(['replay', 'reset', ...args], {
    env: {
      ...process.env,
      KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '',
      SPLITTER_GROUP_ID: splitterGroup,
      LOG_LEVEL: 'silent',
    },
  });

/** Four records on partition 0 of `topic`: two written three hours ago, two now. */
async function writeAged(connection: KafkaConnection, topic: string): Promise<void> {
  const producer = new Producer({
    ...baseClientOptions(connection, 'replay-test'),
    serializers: stringSerializers,
  });
  const now = Date.now();
  try {
    await producer.send({
      messages: [0, 1, 2, 3].map((index) => ({
        topic,
        partition: 0,
        key: `r${index}`,
        value: `v${index}`,
        timestamp: BigInt(index < 2 ? now - 3 * hour : now),
      })),
    });
  } finally {
    await producer.close();
  }
}

async function committed(admin: Admin, groupId: string, topic: string): Promise<bigint | undefined> {
  const groups = await admin.listConsumerGroupOffsets({
    groups: [{ groupId, topics: [{ name: topic, partitionIndexes: [0] }] }],
  });
  return groups[0]?.topics[0]?.partitions[0]?.committedOffset;
}

describe('triage replay reset', () => {
  kafkaTest(
    'Given a stopped splitter group at the end of its input, When reset by time, dry run first, Then only the real run moves it to the first record since then',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.bundles]);
      const topic = kafka.topic(pipelineTopics.bundles.name);
      await writeAged(kafka.connection, topic);
      const admin = new Admin(baseClientOptions(kafka.connection, 'replay-test'));
      try {
        await admin.alterConsumerGroupOffsets({
          groupId: splitterGroup,
          topics: [{ name: topic, partitionOffsets: [{ partition: 0, offset: 4n }] }],
        });

        const dry = await replay(kafka, 'splitter', '--to-time', '1h', '--dry-run');
        expect(dry.code, dry.stderr).toBe(0);
        expect(dry.stdout).toMatch(/splitter-replay.*intake\.bundles\.v1.*'4'.*'2'.*2/);
        expect(dry.stdout).toContain(`dry run: ${splitterGroup} left as it is`);
        expect(await committed(admin, splitterGroup, topic)).toBe(4n);

        const real = await replay(kafka, 'splitter', '--to-time', '1h');
        expect(real.code, real.stderr).toBe(0);
        expect(real.stdout).toContain(`${splitterGroup}: reset; 2 record(s) to handle again`);
        expect(await committed(admin, splitterGroup, topic)).toBe(2n);

        const earliest = await replay(kafka, 'splitter', '--to-earliest');
        expect(earliest.code, earliest.stderr).toBe(0);
        expect(await committed(admin, splitterGroup, topic)).toBe(0n);

        const outside = await replay(kafka, 'splitter', '--to-offsets', '0:9');
        expect(outside.code).toBe(1);
        expect(outside.stderr).toContain('TRIAGE_REPLAY_INVALID');
      } finally {
        await admin.close();
      }
    },
  );

  kafkaTest(
    'Given the splitter group has a running member, When reset, Then it is refused naming the members',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.bundles]);
      const topic = kafka.topic(pipelineTopics.bundles.name);
      await writeAged(kafka.connection, topic);
      const member = new Consumer({
        ...baseClientOptions(kafka.connection, 'replay-member'),
        groupId: splitterGroup,
      });
      const stream = await member.consume({ topics: [topic], autocommit: true });
      try {
        const refused = await replay(kafka, 'splitter', '--to-earliest');
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('TRIAGE_GROUP_ACTIVE');
        expect(refused.stderr).toContain('1 member(s)');
      } finally {
        await stream.close();
        await member.close(true);
      }
    },
  );

  kafkaTest('Given a stage that does not exist, When reset, Then the stages are named', async ({ kafka }) => {
    const result = await replay(kafka, 'sorter', '--to-earliest');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no stage "sorter"');
    expect(result.stderr).toContain('splitter, hasher, dedupe, enricher, scorer, indexer');
  });
});
