// Issue 11 (hardening), part 4 "Transport": the pipeline's clients over SASL_SSL, each stage under
// its own principal, held to the ACLs `serviceAcls` derives from the stage table. On a broker of
// its own (the local stack's SASL_SSL listener: keytool certificates, SCRAM, StandardAuthorizer).
import { Admin } from '@platformatic/kafka';
import { type KafkaSaslSslResult, stackDown, stackUp } from '@triage/local-stack';
import { createLogger } from '@triage/logging';
import { readTopic, topicRecordCount } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAcls } from '../acl/apply-acls.ts';
import { serviceAcls } from '../acl/service-acls.ts';
import { ConsumerRunner } from '../consumer/consumer-runner.ts';
import { createRecordProducer } from '../producer/record-producer.ts';
import { bootstrapTopics } from '../topics/bootstrap-topics.ts';
import { pipelineTopics } from '../topics/pipeline-topics.ts';
import { deadLetterTopicName, type TopicSpec } from '../topics/topic-spec.ts';
import {
  baseClientOptions,
  connectionFromConfig,
  deployedTopic,
  type KafkaConnection,
  kafkaError,
} from './connection.ts';

// Below Linux's ephemeral range, apart from the fault test's 29092-29097.
const port = Number(process.env.TRIAGE_SASL_TEST_KAFKA_PORT ?? 29_192);
const saslPort = port + 4;
const cluster = { kafkaPort: port, kafkaNodes: 1 as const, kafkaSaslPort: saslPort, elasticsearch: false };
const logger = createLogger({ name: 'sasl-ssl-test', level: 'silent' });
const codec = createCodec();
const prefix = `sasl${Date.now()}.`;
const clientId = 'triage';

let sasl: KafkaSaslSslResult;

/** A service's connection as its main makes it: from the KAFKA_* variables, nothing else. */
function serviceConnection(user: string, password?: string): KafkaConnection {
  return connectionFromConfig(
    {
      KAFKA_BROKERS: sasl.brokers,
      KAFKA_CLIENT_ID: clientId,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SSL_CA_FILE: sasl.caFile,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: user,
      ...(password === undefined
        ? { KAFKA_SASL_PASSWORD_FILE: sasl.passwordFiles[user] }
        : { KAFKA_SASL_PASSWORD: password }),
    },
    user,
  );
}

const topic = (name: string) => `${prefix}${name}`;

/**
 * A stage as `service` in group `groupId`, copying each input to the topics `outputsOf` names for
 * it (catalogue names): the runner and its producer under that service's own login.
 */
function copyingStage(
  service: 'splitter' | 'hasher',
  groupId: string,
  input: TopicSpec,
  outputsOf: (key: string) => readonly TopicSpec[],
) {
  const connection = serviceConnection(service);
  const producer = createRecordProducer(connection, groupId);
  const runner = new ConsumerRunner({
    stage: service,
    connection,
    groupId,
    input,
    producer,
    logger,
    codec,
    handle: async (record) =>
      outputsOf(record.key ?? '').map((output) => ({
        topic: deployedTopic(connection, output.name),
        key: record.key ?? '',
        value: record.value,
      })),
  });
  return {
    runner,
    async stop() {
      await runner.stop().catch(() => {});
      await producer.close();
    },
  };
}

beforeAll(async () => {
  const up = await stackUp({ ...cluster, kafkaScramUsers: ['splitter', 'hasher'] });
  sasl = up.kafka!.saslSsl!;
  const admin = serviceConnection('admin');
  await bootstrapTopics({
    connection: admin,
    topics: [
      pipelineTopics.bundles,
      pipelineTopics.bundleStatus,
      pipelineTopics.reports,
      pipelineTopics.items,
      pipelineTopics.itemsHashed,
      pipelineTopics.mediaObserved,
    ],
    replicationFactor: 1,
  });
  const client = new Admin(baseClientOptions(admin, 'acls'));
  try {
    await applyAcls(
      client,
      serviceAcls({ connection: { topicPrefix: prefix }, clientId, services: ['splitter', 'hasher'] }),
    );
  } finally {
    await client.close();
  }
}, 180_000);

afterAll(async () => {
  await stackDown({ kafkaPort: port, elasticsearch: false });
});

describe('Kafka over SASL_SSL with a principal per service', () => {
  it('the splitter and the hasher, each under its own principal, read their inputs and write their outputs through the consumer runner', async () => {
    const admin = serviceConnection('admin');
    const intake = createRecordProducer(admin, 'intake');
    const stages = [
      copyingStage('splitter', 'splitter', pipelineTopics.bundles, () => [
        pipelineTopics.reports,
        pipelineTopics.items,
      ]),
      copyingStage('hasher', 'hasher', pipelineTopics.items, () => [pipelineTopics.itemsHashed]),
    ];
    try {
      for (const { runner } of stages) await runner.start();
      await intake.send(
        ['b1', 'b2', 'b3'].map((key) => ({
          topic: topic(pipelineTopics.bundles.name),
          key,
          value: Buffer.from(JSON.stringify({ synthetic: key })),
        })),
      );
      const reports = await readTopic(admin, topic(pipelineTopics.reports.name), 3, 30_000);
      const hashed = await readTopic(admin, topic(pipelineTopics.itemsHashed.name), 3, 30_000);
      expect(reports.map((record) => record.key).sort()).toEqual(['b1', 'b2', 'b3']);
      expect(hashed.map((record) => record.key).sort()).toEqual(['b1', 'b2', 'b3']);
      expect(JSON.parse(String(hashed.find((record) => record.key === 'b2')?.value))).toEqual({
        synthetic: 'b2',
      });
    } finally {
      for (const stage of stages) await stage.stop();
      await intake.close();
    }
  }, 90_000);

  it("refuses the splitter writing the hasher's output topic", async () => {
    const producer = createRecordProducer(serviceConnection('splitter'), 'splitter-stray');
    try {
      const sent = producer.send([
        { topic: topic(pipelineTopics.itemsHashed.name), key: 'r1', value: Buffer.from('{}') },
      ]);
      await expect(sent).rejects.toMatchObject({
        code: 'TRIAGE_KAFKA_NOT_AUTHORIZED',
        message: expect.stringContaining('TOPIC_AUTHORIZATION_FAILED'),
      });
    } finally {
      await producer.close();
    }
    // The hasher, which owns it, may.
    const owner = createRecordProducer(serviceConnection('hasher'), 'hasher');
    try {
      await owner.send([
        { topic: topic(pipelineTopics.itemsHashed.name), key: 'r1', value: Buffer.from('{}') },
      ]);
    } finally {
      await owner.close();
    }
    const written = await readTopic(
      serviceConnection('admin'),
      topic(pipelineTopics.itemsHashed.name),
      (records) => records.some((record) => record.key === 'r1'),
      20_000,
    );
    expect(written.filter((record) => record.key === 'r1')).toHaveLength(1);
  }, 60_000);

  it("refuses the hasher consuming the splitter's input", async () => {
    const stage = copyingStage('hasher', 'hasher-stray', pipelineTopics.bundles, () => []);
    try {
      const started = stage.runner.start().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(await started).toMatchObject({
        code: 'TRIAGE_KAFKA_NOT_AUTHORIZED',
        message: expect.stringContaining('TOPIC_AUTHORIZATION_FAILED'),
      });
    } finally {
      await stage.stop();
    }
  }, 60_000);

  it('a stage whose handler writes a topic it does not own dead-letters the input with the refusal', async () => {
    const admin = serviceConnection('admin');
    const intake = createRecordProducer(admin, 'intake-stray');
    // Its handler writes the hasher's dedupe input for one record.
    const stage = copyingStage('splitter', 'splitter-stray', pipelineTopics.bundles, (key) =>
      key === 'stray' ? [pipelineTopics.mediaObserved] : [],
    );
    try {
      await stage.runner.start();
      await intake.send([
        { topic: topic(pipelineTopics.bundles.name), key: 'stray', value: Buffer.from('{"synthetic":true}') },
      ]);
      const dead = await readTopic(admin, topic(deadLetterTopicName(pipelineTopics.bundles.name)), 1, 45_000);
      expect(dead[0]?.key).toBe('stray');
      expect(dead[0]?.headers['triage-error-code']).toBe('TRIAGE_KAFKA_NOT_AUTHORIZED');
    } finally {
      await stage.stop();
      await intake.close();
    }
    expect(await topicRecordCount(admin, topic(pipelineTopics.mediaObserved.name))).toBe(0n);
  }, 90_000);

  it('refuses a wrong password', async () => {
    // No client retries: each would be another full TLS and SCRAM exchange refused the same way.
    const client = new Admin({
      ...baseClientOptions(serviceConnection('splitter', 'not-the-password'), 'wrong'),
      retries: 0,
    });
    try {
      const refusal = await client.metadata({ topics: [] }).then(
        () => undefined,
        (error: unknown) => kafkaError(error, 'metadata'),
      );
      expect(refusal).toMatchObject({
        code: 'TRIAGE_KAFKA_NOT_AUTHORIZED',
        retryable: false,
        message: expect.stringContaining('SASL_AUTHENTICATION_FAILED'),
      });
    } finally {
      await client.close();
    }
    // The right password, same user: accepted.
    const right = new Admin({ ...baseClientOptions(serviceConnection('splitter'), 'right'), retries: 0 });
    try {
      await expect(right.metadata({ topics: [] })).resolves.toBeDefined();
    } finally {
      await right.close();
    }
  }, 30_000);

  it('refuses a SASL login over plaintext unless explicitly allowed', () => {
    expect(() =>
      connectionFromConfig({
        KAFKA_BROKERS: [`127.0.0.1:${port}`],
        KAFKA_CLIENT_ID: clientId,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
        KAFKA_SASL_USERNAME: 'splitter',
        KAFKA_SASL_PASSWORD_FILE: sasl.passwordFiles.splitter,
      }),
    ).toThrow(/KAFKA_ALLOW_SASL_PLAINTEXT/);
  });
});
