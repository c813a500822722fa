// The indexer on the real broker and the real Elasticsearch (issue 10): cases with their actions'
// state and report text, the stale-case guard in both orders, a refused document dead-lettered
// while the rest of its batch lands, Elasticsearch unreachable and back, items and media.
import { once } from 'node:events';
import net from 'node:net';
import { createLogger } from '@triage/logging';
import {
  createRecordProducer,
  type KafkaConnection,
  pipelineTopics,
  type TopicSpec,
} from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec, type RecordTypes } from '@triage/schemas';
import { createSearchClient, type SearchClient } from '@triage/search';
import { elasticsearchUrl, type SearchFixture, useSearchFixture } from '@triage/search/testing/fixtures';
import { describe, expect } from 'vitest';
import { createIndexerService, type IndexerService, indexerInputs } from './indexer-service.ts';
import {
  makeAction,
  makeAuditEvent,
  makeCase,
  makeItem,
  makeMedia,
  makeReport,
  sha256Of,
} from './testing/indexer-records.ts';

const codec = createCodec();
const logger = createLogger({ name: 'indexer-test', level: 'error' });

const test = kafkaTest.extend<{ search: SearchFixture }>({
  search: async ({ kafka }, use) => {
    await kafka.createTopics(indexerInputs());
    await useSearchFixture(kafka.connection.topicPrefix ?? '', use);
  },
});

async function startIndexer(
  connection: KafkaConnection,
  client: SearchClient,
  options: { writeAttempts?: number } = {},
): Promise<IndexerService> {
  const service = createIndexerService({
    connection,
    codec,
    logger,
    client,
    groupId: 'indexer',
    replicas: 0,
    writeBackoffMs: 50,
    ...options,
  });
  await service.start();
  return service;
}

async function produce<N extends keyof RecordTypes & string>(
  connection: KafkaConnection,
  spec: TopicSpec,
  name: N,
  records: readonly { key: string; value: RecordTypes[N] }[],
): Promise<void> {
  const producer = createRecordProducer(connection, 'indexer-test-input');
  try {
    await producer.send(
      records.map(({ key, value }) => ({
        topic: `${connection.topicPrefix ?? ''}${spec.name}`,
        key,
        value: Buffer.from(codec.encode(name, value as never)),
      })),
    );
  } finally {
    await producer.close();
  }
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function source(client: SearchClient, index: string, id: string) {
  await client.indices.refresh({ index });
  const response = await client.get<Record<string, unknown>>({ index, id }, { ignore: [404] });
  return response.found ? response._source : undefined;
}

async function hits(client: SearchClient, index: string, query: object) {
  await client.indices.refresh({ index });
  const response = await client.search<Record<string, unknown>>({ index, query, size: 100 });
  return response.hits.hits.map((hit) => hit._source!);
}

describe('indexer', () => {
  test('cases land with their actions\u2019 state and report text, searchable by both', async ({
    kafka,
    search,
  }) => {
    const indexer = await startIndexer(kafka.connection, search.client);
    try {
      const id = 'tipline-test:1';
      await produce(kafka.connection, pipelineTopics.reports, 'Report', [
        { key: id, value: makeReport(codec, id, 'Met the account on a gaming platform') },
      ]);
      await produce(kafka.connection, pipelineTopics.cases, 'Case', [
        { key: id, value: makeCase(codec, id, { provisional: true, itemsSeen: 2, score: 20 }) },
        { key: id, value: makeCase(codec, id, { score: 70, tier: 'P1' }) },
      ]);
      await produce(kafka.connection, pipelineTopics.triageActions, 'TriageAction', [
        {
          key: id,
          value: makeAction(codec, {
            actionId: 'a1',
            reportId: id,
            type: 'assign',
            payload: { assignee: 'analyst-2' },
            at: 1,
          }),
        },
        {
          key: id,
          value: makeAction(codec, {
            actionId: 'a2',
            reportId: id,
            type: 'status',
            payload: { status: 'in_review' },
            at: 2,
          }),
        },
      ]);
      const found = await eventually(async () => {
        const [doc] = await hits(search.client, search.alias('cases'), {
          bool: {
            filter: [{ term: { 'triage.status': 'in_review' } }, { term: { tier: 'P1' } }],
            must: [{ match: { 'reportText.text': 'gaming' } }],
          },
        });
        return doc;
      }, 'the case with its state');
      expect(found).toMatchObject({
        reportId: id,
        hasCase: true,
        provisional: false,
        score: 70,
        triage: { assignee: 'analyst-2', status: 'in_review', actionCount: 2, lastActionId: 'a2' },
      });
      const history = await eventually(async () => {
        const list = await hits(search.client, search.alias('actions'), { term: { reportId: id } });
        return list.length === 2 ? list : undefined;
      }, 'two actions');
      expect(history.map((action) => action.actionId).sort()).toEqual(['a1', 'a2']);
    } finally {
      await indexer.stop();
    }
  });

  test('an older case never overwrites a newer one, in either order', async ({ kafka, search }) => {
    const indexer = await startIndexer(kafka.connection, search.client);
    const index = search.alias('cases');
    try {
      // Newer first, then the stale one (as a scorer that lost its partition writes it: later in the topic).
      const [late, early] = ['tipline-test:late', 'tipline-test:early'];
      const newer = { itemsSeen: 4, provisional: false, score: 80, updatedAt: 1_000 };
      const older = { itemsSeen: 3, provisional: true, score: 10, updatedAt: 9_000 };
      await produce(kafka.connection, pipelineTopics.cases, 'Case', [
        { key: late, value: makeCase(codec, late, newer) },
        { key: early, value: makeCase(codec, early, older) },
      ]);
      await eventually(
        async () => ((await source(search.client, index, late))?.score === 80 ? true : undefined),
        'the newer case',
      );
      await eventually(
        async () => ((await source(search.client, index, early))?.score === 10 ? true : undefined),
        'the older case',
      );
      await produce(kafka.connection, pipelineTopics.cases, 'Case', [
        { key: late, value: makeCase(codec, late, older) },
        { key: early, value: makeCase(codec, early, newer) },
      ]);
      await eventually(
        async () => ((await source(search.client, index, early))?.score === 80 ? true : undefined),
        'the newer case replacing the older',
      );
      await eventually(
        async () => (indexer.metrics().indexer.staleCases === 1 ? true : undefined),
        'the stale case dropped',
      );
      expect(await source(search.client, index, late)).toMatchObject({
        score: 80,
        itemsSeen: 4,
        provisional: false,
      });
    } finally {
      await indexer.stop();
    }
  });

  test('a document Elasticsearch refuses is dead-lettered with its reason; the rest of the batch is indexed', async ({
    kafka,
    search,
  }) => {
    // A report id of 40 000 characters: its _id is hashed, but as a keyword term it is too long to index.
    const refused = `tipline-test:${'x'.repeat(40_000)}`;
    await produce(kafka.connection, pipelineTopics.cases, 'Case', [
      { key: 'tipline-test:a', value: makeCase(codec, 'tipline-test:a') },
      { key: refused, value: makeCase(codec, refused) },
      { key: 'tipline-test:b', value: makeCase(codec, 'tipline-test:b') },
    ]);
    const indexer = await startIndexer(kafka.connection, search.client);
    try {
      const [letter] = await kafka.readTopic(`${pipelineTopics.cases.name}.dlq`, 1);
      const deadLetter = codec.decode('DeadLetter', letter!.value!);
      expect(deadLetter.errorCode).toBe('TRIAGE_ELASTICSEARCH_REJECTED');
      expect(deadLetter.errorMessage).toMatch(
        /document_parsing_exception: .*failed to parse field \[reportId\]/,
      );
      expect(deadLetter.key?.toString()).toBe(refused);
      const docs = await eventually(async () => {
        const list = await hits(search.client, search.alias('cases'), { match_all: {} });
        return list.length === 2 ? list : undefined;
      }, 'the two other cases');
      expect(docs.map((doc) => doc.reportId).sort()).toEqual(['tipline-test:a', 'tipline-test:b']);
    } finally {
      await indexer.stop();
    }
  });

  test('Elasticsearch unreachable: the indexer holds off, then indexes everything exactly once', async ({
    kafka,
    search,
  }) => {
    const proxy = new TcpProxy(new URL(elasticsearchUrl));
    const port = await proxy.open(0);
    const client = createSearchClient({ url: `http://127.0.0.1:${port}`, requestTimeoutMs: 5_000 });
    const indexer = await startIndexer(kafka.connection, client, { writeAttempts: 2 });
    try {
      await proxy.close();
      const ids = Array.from({ length: 20 }, (_, index) => `tipline-test:${index}`);
      await produce(
        kafka.connection,
        pipelineTopics.cases,
        'Case',
        ids.map((id) => ({ key: id, value: makeCase(codec, id) })),
      );
      await eventually(
        async () => (indexer.metrics().groups.cases!.reconnects >= 2 ? true : undefined),
        'the indexer holding off',
      );
      const index = search.alias('cases');
      await search.client.indices.refresh({ index });
      expect((await search.client.count({ index })).count).toBe(0);
      await proxy.open(port);
      const docs = await eventually(async () => {
        const list = await hits(search.client, index, { match_all: {} });
        return list.length === ids.length ? list : undefined;
      }, 'every case after the outage');
      expect(docs.map((doc) => doc.reportId).sort()).toEqual([...ids].sort());
      // Each report once (deterministic ids), and nothing dead-lettered for the outage.
      expect((await search.client.count({ index })).count).toBe(ids.length);
      expect(indexer.metrics().groups.cases!.deadLettered).toBe(0);
    } finally {
      await indexer.stop();
      await proxy.close();
      await client.close();
    }
  });

  test('items and media: every hash, the cluster, first sighting, sightings and the reports carrying a file', async ({
    kafka,
    search,
  }) => {
    const indexer = await startIndexer(kafka.connection, search.client);
    try {
      const file = 'synthetic-file-1';
      await produce(kafka.connection, pipelineTopics.itemsEnriched, 'EnrichedItem', [
        { key: 'tipline-test:r1', value: makeItem(codec, 'tipline-test:r1', 0, file, 1) },
        { key: 'tipline-test:r2', value: makeItem(codec, 'tipline-test:r2', 0, file, 2) },
      ]);
      await produce(kafka.connection, pipelineTopics.media, 'Media', [
        { key: sha256Of(file), value: makeMedia(codec, file, 'cluster-7') },
      ]);
      await produce(kafka.connection, pipelineTopics.audit, 'AuditEvent', [
        { key: 'auditor-1', value: makeAuditEvent(codec, 'event-1') },
      ]);
      const media = await eventually(async () => {
        const doc = await source(search.client, search.alias('media'), sha256Of(file));
        return doc?.clusterId === 'cluster-7' && (doc.reportIds as string[]).length === 2 ? doc : undefined;
      }, 'the media document');
      const item = makeItem(codec, 'tipline-test:r1', 0, file, 1);
      expect(media).toMatchObject({
        sha256: sha256Of(file),
        md5: item.hashes!.md5,
        sha1: item.hashes!.sha1,
        pdq: 'f'.repeat(64),
        firstSeenReportId: 'tipline-test:first',
        firstSeenItemId: 'tipline-test:first/file-0',
        sightings: 2,
        reportIds: ['tipline-test:r1', 'tipline-test:r2'],
      });
      const items = await eventually(async () => {
        const list = await hits(search.client, search.alias('items'), { term: { md5: item.hashes!.md5 } });
        return list.length === 2 ? list : undefined;
      }, 'both items by MD5');
      expect(items.map((doc) => doc.itemId).sort()).toEqual([
        'tipline-test:r1/file-0',
        'tipline-test:r2/file-0',
      ]);
      const [event] = await eventually(async () => {
        const list = await hits(search.client, search.alias('audit'), { term: { eventId: 'event-1' } });
        return list.length === 1 ? list : undefined;
      }, 'the audit event');
      expect(event).toMatchObject({
        actor: 'auditor-1',
        action: 'search',
        targetType: 'query',
        resultCount: 3,
      });
    } finally {
      await indexer.stop();
    }
  });
});

/** A TCP proxy to Elasticsearch that a test closes (connections refused, open ones cut) and reopens on the same port. */
class TcpProxy {
  readonly #target: URL;
  #server: net.Server | undefined;
  readonly #sockets = new Set<net.Socket>();

  constructor(target: URL) {
    this.#target = target;
  }

  async open(port: number): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(this.#target.port || 80), this.#target.hostname);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.#server = server;
    return (server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
