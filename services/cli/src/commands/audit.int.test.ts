// `triage audit verify` as an operator runs it, on trails written to a test's own topics on the
// real Kafka: a clean trail verifies; an edited, a removed and a reordered event are each found.
import { AuditTrail } from '@triage/audit';
import { createLogger } from '@triage/logging';
import { createRecordProducer, pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { type AuditEvent, createCodec } from '@triage/schemas';
import { expect } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const codec = createCodec();
const logger = createLogger({ name: 'audit-int-test', level: 'silent' });
/** Where tampered copies are made from: the audit topic's layout under another name. */
const sourceTopic = { ...pipelineTopics.audit, name: 'audit-source.v1' };

/** Records `count` synthetic searches per writer through real AuditTrails (acks=all). */
async function writeTrail(kafka: KafkaFixture, topic: string, writers: readonly string[], count: number) {
  const producer = createRecordProducer(kafka.connection, 'test-audit-writer');
  try {
    const trails = writers.map(
      (writerId) => new AuditTrail({ producer, topic: kafka.topic(topic), writerId, logger }),
    );
    await Promise.all(
      trails.flatMap((trail) =>
        Array.from({ length: count }, (_, n) =>
          trail.record({
            actor: 'analyst-1',
            role: 'analyst',
            action: 'view_case',
            target: { type: 'report', id: `partner-a:${n}` },
            requestId: `req-${n}`,
            outcome: 'allowed',
          }),
        ),
      ),
    );
  } finally {
    await producer.close();
  }
}

const verify = (kafka: KafkaFixture, ...flags: string[]) =>
  runCli(['audit', 'verify', ...flags], {
    env: { ...process.env, KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '', LOG_LEVEL: 'silent' },
  });

kafkaTest(
  'given a clean trail of two writers on audit.v1, when triage audit verify runs, then every chain verifies and it exits 0',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.audit]);
    await writeTrail(kafka, pipelineTopics.audit.name, ['api-0', 'api-1'], 6);

    const json = await verify(kafka, '--json');
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as {
      records: number;
      chains: { events: number }[];
      findings: unknown[];
    };
    expect(result.findings).toEqual([]);
    expect(result.records).toBe(12);
    expect(result.chains.map((chain) => chain.events)).toEqual([6, 6]);

    const text = await verify(kafka);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('audit.v1: 12 records, 2 chains, 0 duplicates: OK');
  },
);

type Tamper = (records: { key: string; value: Buffer }[]) => { key: string; value: Buffer }[];

const tampers: { kind: string; sequence: number; tamper: Tamper }[] = [
  {
    kind: 'edited',
    sequence: 3,
    tamper: (records) =>
      records.map((record, index) => {
        if (index !== 3) return record;
        const event = codec.decode('AuditEvent', record.value) as AuditEvent;
        return { ...record, value: codec.encode('AuditEvent', { ...event, outcome: 'denied' }) };
      }),
  },
  { kind: 'removed', sequence: 3, tamper: (records) => records.filter((_, index) => index !== 3) },
  {
    kind: 'reordered',
    sequence: 2,
    tamper: ([a, b, c, d, ...rest]) => [a!, b!, d!, c!, ...rest],
  },
];

kafkaTest.for(tampers)(
  'given a trail with a $kind event, when triage audit verify runs, then it reports exactly that and exits 1',
  async ({ kind, sequence, tamper }, { kafka }) => {
    await kafka.createTopics([pipelineTopics.audit, sourceTopic]);
    await writeTrail(kafka, sourceTopic.name, ['api-0'], 6);
    const source = await kafka.readTopic(sourceTopic.name, 6);
    const original = source
      .sort((x, y) => Number(x.offset - y.offset))
      .map((record) => ({ key: record.key, value: record.value! }));
    // The tampered copy goes to audit.v1 in one send: one key, one partition, in this order.
    const producer = createRecordProducer(kafka.connection, 'test-audit-copier');
    await producer.send(
      tamper(original).map((record) => ({ topic: kafka.topic(pipelineTopics.audit.name), ...record })),
    );
    await producer.close();

    const json = await verify(kafka, '--json');
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as {
      findings: { kind: string; sequence: number; chainId: string }[];
    };
    expect(result.findings.map((finding) => [finding.kind, finding.sequence])).toEqual([[kind, sequence]]);
    expect(result.findings[0]!.chainId).toBe(original[0]!.key);

    const text = await verify(kafka);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('1 finding(s)');
    expect(text.stdout).toContain(kind);
  },
);
