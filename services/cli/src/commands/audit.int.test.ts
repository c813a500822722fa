// `triage audit verify` as an operator runs it, on trails written to a test's own topics on the
// real Kafka: a clean trail verifies; an edited, a removed and a reordered event are each found,
// on the topic and (`--index`) in the audit index, where a copy re-hashed after an edit is found too.
import { AuditTrail, hashOfEvent } from '@triage/audit';
import { createLogger } from '@triage/logging';
import { createRecordProducer, pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { type AuditEvent, createCodec } from '@triage/schemas';
import { auditDocument, ensureSearchIndices, indexNames, searchIndices } from '@triage/search';
import { type SearchFixture, useSearchFixture } from '@triage/search/testing/fixtures';
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

// --- The audit index, verified on its own and against the topic.

interface IndexedTrail {
  search: SearchFixture;
  /** The indexed events in chain order, as the indexer wrote them. */
  events: (AuditEvent & { chain: NonNullable<AuditEvent['chain']> })[];
}

/** A clean trail of one writer on audit.v1, and its documents in the audit index (as the indexer writes them). */
async function indexedTrail(
  kafka: KafkaFixture,
  search: SearchFixture,
  count: number,
): Promise<IndexedTrail> {
  await kafka.createTopics([pipelineTopics.audit]);
  await writeTrail(kafka, pipelineTopics.audit.name, ['api-0'], count);
  const records = await kafka.readTopic(pipelineTopics.audit.name, count);
  const events = records
    .sort((x, y) => Number(x.offset - y.offset))
    .map((record) => codec.decode('AuditEvent', record.value!) as IndexedTrail['events'][number]);
  await ensureSearchIndices({ client: search.client, prefix: search.prefix, replicas: 0 });
  await writeAuditDocuments(search, events);
  return { search, events };
}

async function writeAuditDocuments(search: SearchFixture, events: readonly AuditEvent[]): Promise<void> {
  const index = indexNames(search.prefix, searchIndices.audit).index;
  const operations = events.flatMap((event) => {
    const { id, document } = auditDocument(event);
    return [{ index: { _index: index, _id: id } }, document];
  });
  const response = await search.client.bulk({ refresh: true, operations });
  expect(response.errors).toBe(false);
}

const indexTest = kafkaTest.extend<{ search: SearchFixture }>({
  search: async ({ kafka }, use) => useSearchFixture(kafka.connection.topicPrefix ?? '', use),
});

const verifyIndex = async (kafka: KafkaFixture) => {
  const run = await verify(kafka, '--index', '--json');
  const result = JSON.parse(run.stdout) as {
    findings: unknown[];
    index: {
      verification: { records: number; findings: { kind: string; sequence: number }[] };
      findings: { kind: string; sequence: number }[];
      behind: { copyLastSequence: number; topicLastSequence: number }[];
    };
  };
  return { code: run.code, result, text: await verify(kafka, '--index') };
};

indexTest(
  'given the index holds the topic\u2019s trail, when triage audit verify --index runs, then both verify and it exits 0',
  async ({ kafka, search }) => {
    await indexedTrail(kafka, search, 6);
    const { code, result, text } = await verifyIndex(kafka);
    expect(code).toBe(0);
    expect(result.index.verification).toMatchObject({ records: 6, findings: [] });
    expect(result.index.findings).toEqual([]);
    expect(result.index.behind).toEqual([]);
    expect(text.stdout).toMatch(/audit: 6 documents, 1 chains: OK; against the topic: OK/);
  },
);

type IndexTamper = (trail: IndexedTrail) => Promise<void>;
const auditIndex = (trail: IndexedTrail) => indexNames(trail.search.prefix, searchIndices.audit).index;

const indexTampers: { name: string; tamper: IndexTamper; found: [string, number][] }[] = [
  {
    name: 'an edited document',
    tamper: async (trail) =>
      writeAuditDocuments(trail.search, [{ ...trail.events[3]!, actor: 'someone-else' }]),
    found: [['edited', 3]],
  },
  {
    name: 'a removed document',
    tamper: async (trail) => {
      await trail.search.client.delete({
        index: auditIndex(trail),
        id: auditDocument(trail.events[3]!).id,
        refresh: true,
      });
    },
    found: [['removed', 3]],
  },
  {
    // In the index, order is the sequence: two events swapped are two events whose fields no longer hash to their hash.
    name: 'two documents swapped in order',
    tamper: async (trail) => {
      const [two, three] = [trail.events[2]!, trail.events[3]!];
      await writeAuditDocuments(trail.search, [
        { ...two, chain: { ...two.chain, sequence: three.chain.sequence } },
        { ...three, chain: { ...three.chain, sequence: two.chain.sequence } },
      ]);
    },
    // Each swapped event: its fields do not hash to its hash, and its link names the wrong
    // predecessor; and the event after them names a predecessor that is no longer there.
    found: [
      ['edited', 2],
      ['edited', 1],
      ['edited', 3],
      ['edited', 2],
      ['edited', 3],
    ],
  },
  {
    name: 'a document edited and every later hash recomputed',
    tamper: async (trail) => {
      const rewritten: AuditEvent[] = [];
      let previousHash = trail.events[1]!.chain.hash;
      for (const event of trail.events.slice(2)) {
        const edited = event.chain.sequence === 2 ? { ...event, outcome: 'denied' as const } : event;
        const chain = { ...event.chain, previousHash };
        const hash = hashOfEvent(codec, { ...edited, chain });
        rewritten.push({ ...edited, chain: { ...chain, hash } });
        previousHash = hash;
      }
      await writeAuditDocuments(trail.search, rewritten);
    },
    found: [['diverged', 5]],
  },
];

indexTest.for(indexTampers)(
  'given $name in the audit index, when triage audit verify --index runs, then it is found and it exits 1',
  async ({ tamper, found }, { kafka, search }) => {
    const trail = await indexedTrail(kafka, search, 6);
    await tamper(trail);
    const { code, result, text } = await verifyIndex(kafka);
    expect(code).toBe(1);
    expect(result.findings).toEqual([]);
    const findings = [...result.index.verification.findings, ...result.index.findings];
    expect(findings.map((finding) => [finding.kind, finding.sequence])).toEqual(found);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(found[0]![0]);
  },
);

indexTest(
  'given an index behind the topic, when triage audit verify --index runs, then it says so and exits 0',
  async ({ kafka, search }) => {
    const trail = await indexedTrail(kafka, search, 6);
    for (const event of trail.events.slice(4))
      await search.client.delete({ index: auditIndex(trail), id: auditDocument(event).id, refresh: true });
    const { code, result, text } = await verifyIndex(kafka);
    expect(code).toBe(0);
    expect(result.index.behind).toEqual([
      expect.objectContaining({ copyLastSequence: 3, topicLastSequence: 5 }),
    ]);
    expect(text.stdout).toContain('is 2 event(s) behind the topic in 1 chain(s)');
  },
);
