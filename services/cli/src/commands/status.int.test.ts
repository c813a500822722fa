// `triage status --json` against a test's own topics, groups and indices: the numbers it reports.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import {
  allTopics,
  baseClientOptions,
  createRecordProducer,
  deadLetterHeaders,
  pipelineTopics,
  stateTopics,
} from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { ensureSearchIndices, indexNames, searchIndices } from '@triage/search';
import { type SearchFixture, useSearchFixture } from '@triage/search/testing/fixtures';
import { expect } from 'vitest';
import { runCli } from '../testing/run-cli.ts';
import type { StatusReport } from './status-report.ts';

const test = kafkaTest.extend<{ search: SearchFixture }>({
  search: async ({ kafka }, use) => useSearchFixture(kafka.connection.topicPrefix ?? '', use),
});

const hour = 3_600_000;

test('given records a stage has not read, dead letters old and new, a changelog and two index versions, when status --json runs, then it reports each number and exits 1', async ({
  kafka,
  search,
}) => {
  const prefix = kafka.connection.topicPrefix ?? '';
  await kafka.createTopics(allTopics);
  const admin = new Admin(baseClientOptions(kafka.connection, 'test-status'));
  const api = createServer((request, response) => {
    response.writeHead(request.url === '/readyz' ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'ready', elasticsearch: true, kafka: true }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  try {
    // Five items of one report (one partition); the hasher's group has committed past two.
    const producer = createRecordProducer(kafka.connection, 'test-status');
    const items = kafka.topic(pipelineTopics.items.name);
    await producer.send(
      Array.from({ length: 5 }, (_, index) => ({
        topic: items,
        key: 'partner-a:1',
        value: Buffer.from(`item ${index}`),
      })),
    );
    await producer.send(
      Array.from({ length: 3 }, (_, index) => ({
        topic: kafka.topic(stateTopics.scorerReports.name),
        key: `partner-a:${index}`,
        value: Buffer.from('report state'),
        partition: 0,
      })),
    );
    await producer.close();
    const [written] = await kafka.readTopic(pipelineTopics.items.name, 1);
    const hasherGroup = `${prefix}hasher`;
    await admin.alterConsumerGroupOffsets({
      groupId: hasherGroup,
      topics: [{ name: items, partitionOffsets: [{ partition: written?.partition ?? 0, offset: 2n }] }],
    });

    // Dead letters of items.v1: one now, one from two hours ago (outside the window).
    const dlq = kafka.topic(`${pipelineTopics.items.name}.dlq`);
    const raw = new Producer({
      ...baseClientOptions(kafka.connection, 'test-dlq'),
      serializers: stringSerializers,
    });
    const headers = {
      [deadLetterHeaders.stage]: 'hasher',
      [deadLetterHeaders.errorCode]: 'TRIAGE_RECORD_INVALID',
    };
    await raw.send({
      messages: [
        { topic: dlq, key: 'partner-a:1', value: 'old', headers, timestamp: BigInt(Date.now() - 2 * hour) },
        { topic: dlq, key: 'partner-a:1', value: 'new', headers },
      ],
    });
    await raw.close();

    // Cases: the alias on the catalogue version with two documents, and an older version with one.
    await ensureSearchIndices({ client: search.client, prefix: search.prefix, replicas: 0 });
    const cases = indexNames(search.prefix, searchIndices.cases);
    const older = `${cases.alias}-v1`;
    await search.client.indices.create({ index: older, settings: { number_of_replicas: 0 } });
    await search.client.index({ index: older, id: 'partner-a:1', document: { reportId: 'partner-a:1' } });
    for (const reportId of ['partner-a:1', 'partner-a:2'])
      await search.client.index({ index: cases.alias, id: reportId, document: { reportId, hasCase: true } });
    await search.client.indices.refresh({ index: `${cases.alias}-v*` });

    const groups = ['SPLITTER', 'HASHER', 'DEDUPE', 'ENRICHER', 'SCORER', 'INDEXER'].map((name) => [
      `${name}_GROUP_ID`,
      `${prefix}${name.toLowerCase()}`,
    ]);
    const env = {
      ...process.env,
      ...Object.fromEntries(groups),
      KAFKA_TOPIC_PREFIX: prefix,
      // Nothing listens on port 1: intake shows as unreachable; the API answers from the test's server.
      INTAKE_OPS_URL: 'http://127.0.0.1:1',
      TRIAGE_API_OPS_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    };
    const run = await runCli(['status', '--json', '--sample', '1'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as StatusReport;

    expect(report.topicPrefix).toBe(prefix);
    expect(report.sampleSeconds).toBeGreaterThanOrEqual(1);
    if (!report.kafka.ok) throw new Error(report.kafka.error);
    expect(report.kafka.data).toMatchObject({ missingTopics: [], underReplicated: 0, offline: 0 });
    expect(report.kafka.data.brokers.length).toBeGreaterThanOrEqual(1);

    if (!report.stages.ok) throw new Error(report.stages.error);
    const hasher = report.stages.data.find((row) => row.stage === 'hasher');
    expect(hasher).toMatchObject({
      groupId: hasherGroup,
      topic: items,
      members: 0,
      pending: 3,
      position: 2,
      rate: 0,
      pendingChange: 0,
    });
    const behind = report.stages.data.filter((row) => (row.pending ?? 0) > 0).map((row) => row.stage);
    expect(behind).toEqual(['hasher']);

    if (!report.deadLetters.ok) throw new Error(report.deadLetters.error);
    const dead = report.deadLetters.data.find((row) => row.topic === dlq);
    expect(dead).toEqual({
      topic: dlq,
      recent: 1,
      retained: 2,
      byCode: [{ stage: 'hasher', code: 'TRIAGE_RECORD_INVALID', count: 1 }],
    });
    expect(report.deadLetters.data.filter((row) => row.recent > 0)).toHaveLength(1);

    if (!report.stateStores.ok) throw new Error(report.stateStores.error);
    const changelog = report.stateStores.data.find(
      (row) => row.topic === kafka.topic(stateTopics.scorerReports.name),
    );
    expect(changelog).toMatchObject({ partitions: 6, approxRecords: 3 });
    expect(changelog?.bytes).toBeGreaterThan(0);

    if (!report.elasticsearch.ok) throw new Error(report.elasticsearch.error);
    expect(report.elasticsearch.data.nodes).toBeGreaterThanOrEqual(1);
    if (!report.indices.ok) throw new Error(report.indices.error);
    expect(report.indices.data.find((index) => index.id === 'cases')).toEqual({
      id: 'cases',
      alias: cases.alias,
      catalogueVersion: searchIndices.cases.version,
      aliasVersions: [searchIndices.cases.version],
      versions: [
        { version: 1, lane: null, aliased: false, index: older, docs: 1 },
        { version: 2, lane: null, aliased: true, index: cases.index, docs: 2 },
      ],
    });

    expect(report.services.map((service) => [service.name, service.reachable, service.ready])).toEqual([
      ['intake', false, false],
      ['triage-api', true, true],
    ]);
    // Elasticsearch is shared: another test's index may leave it yellow, which is not this test's.
    expect(
      report.problems
        .filter((problem) => problem.section !== 'elasticsearch')
        .map((problem) => problem.subject),
    ).toEqual([`hasher (${items})`, dlq, 'intake']);

    // The screen of the same state: the marked rows, and exit 1.
    const screen = await runCli(['status', '--sample', '0'], { env });
    expect(screen.code).toBe(1);
    expect(screen.stdout).toMatch(
      new RegExp(`^!! hasher .* ${literal(items)} +3 .*<- 3 pending and no member reading$`, 'm'),
    );
    expect(screen.stdout).toMatch(
      new RegExp(`^!! ${literal(dlq)} +1 +2 +hasher/TRIAGE_RECORD_INVALID 1 +<- 1 dead letter`, 'm'),
    );
  } finally {
    await admin.deleteGroups({ groups: [`${prefix}hasher`] }).catch(() => undefined);
    await admin.close();
    await new Promise((resolve) => api.close(resolve));
  }
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
