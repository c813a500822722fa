// Issue 15 (item 4: "how a report is erased when the law requires it"), ADR 0020. Two reports
// that share a file go through the scorer and the indexer (in this process) on the real broker and
// Elasticsearch; `triage erase` erases one: its case and items leave search, its only-own file
// leaves the content store, the shared file and the other report stay whole, the erasure is
// audited, a late record and a replay (fresh groups from the start) do not bring it back, and a
// second erase is a no-op that says so.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { type EraseDeps, eraseReport } from '@triage/cli/testing';
import { ContentStore } from '@triage/content-store';
import { NetworkEnricher } from '@triage/enrichment';
import { createIndexerService, type IndexerService } from '@triage/indexer/service';
import { createLogger } from '@triage/logging';
import {
  allTopics,
  baseClientOptions,
  consumerLag,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
  readErasureLedger,
} from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec, type EnrichedItem, type Report } from '@triage/schemas';
import { createScorerService, type ScorerService } from '@triage/scorer/service';
import { makeItem, makeReport, produceScorerInputs, testIdentifierKeys } from '@triage/scorer/testing';
import { loadRules } from '@triage/scoring';
import { indexerGroupId, indexerGroups } from '@triage/search';
import { type SearchFixture, useSearchFixture } from '@triage/search/testing/fixtures';
import { describe, expect } from 'vitest';
import { runTriage } from './support/triage-cli.ts';

const codec = createCodec();
const logger = createLogger({ name: 'erase-test', level: 'error' });
const rules = loadRules();
const enricher = NetworkEnricher.open({ homeCountry: 'NL', reloadIntervalMs: 0 });

const test = kafkaTest.extend<{ search: SearchFixture; root: string }>({
  search: async ({ kafka }, use) => {
    await kafka.createTopics(allTopics);
    await useSearchFixture(kafka.connection.topicPrefix ?? '', use);
  },
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies by destructuring.
  root: async ({}, use) => {
    const root = await mkdtemp(path.join(tmpdir(), 'erase-int-'));
    await use(root);
    await rm(root, { recursive: true, force: true });
  },
});

/** A report's items, the `index`-th carrying `bytes` (synthetic text standing in for a file). */
function itemCarrying(report: Report, index: number, sha256: string): EnrichedItem {
  const item = makeItem(codec, report, index);
  return codec.decode(
    'EnrichedItem',
    codec.encode('EnrichedItem', {
      ...item,
      item: { ...item.item, sha256 },
      hashes: item.hashes === null ? null : { ...item.hashes, sha256 },
    }),
  );
}

const produce = (connection: KafkaConnection, records: readonly (Report | EnrichedItem)[]) =>
  produceScorerInputs(connection, codec, records);

async function startStages(
  connection: KafkaConnection,
  client: SearchFixture['client'],
  group: string,
  root: string,
) {
  const scorer: ScorerService = createScorerService({
    connection,
    codec,
    logger,
    groupId: `scorer-${group}`,
    rules,
    enricher: await enricher,
    identifierKeys: testIdentifierKeys,
    provisionalEvery: 200,
    quietMs: 60_000,
    stateDir: await mkdtemp(path.join(root, `scorer-${group}-`)),
  });
  const indexer: IndexerService = createIndexerService({
    connection,
    codec,
    logger,
    client,
    groupId: `indexer-${group}`,
    replicas: 0,
    writeBackoffMs: 50,
  });
  await Promise.all([scorer.start(), indexer.start()]);
  const topic = (name: string) => deployedTopic(connection, name);
  return {
    /** Each consumer group and the topics it reads (the scorer's first: the indexer reads what it writes). */
    reads: [
      {
        group: `scorer-${group}`,
        topics: [pipelineTopics.reports.name, pipelineTopics.itemsEnriched.name].map(topic),
      },
      ...indexerGroups.map((g) => ({
        group: indexerGroupId(`indexer-${group}`, g),
        topics: g.inputs.map(topic),
      })),
    ],
    stop: async () => {
      await indexer.stop();
      await scorer.stop();
    },
  };
}

/** Polls `read` until `done` holds for its value, or fails after `timeoutMs` with the last value. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(last)}`);
    await sleep(200);
  }
}

describe('triage erase', () => {
  test('given two reports sharing a file in search and the content store, when one is erased, then it is gone for good and the other stays whole', async ({
    kafka,
    search,
    root,
  }) => {
    const { connection } = kafka;
    const store = new ContentStore({ root: path.join(root, 'content') });
    const put = async (text: string) => (await store.put(Readable.from([Buffer.from(text)]))).sha256;
    const [shared, ownOfErased, ownOfKept] = await Promise.all([
      put('synthetic shared file'),
      put('synthetic file of the erased report'),
      put('synthetic file of the kept report'),
    ]);
    const erased = makeReport(codec, '701', 2);
    const kept = makeReport(codec, '702', 2);
    await produce(connection, [
      erased,
      kept,
      itemCarrying(erased, 0, shared),
      itemCarrying(erased, 1, ownOfErased),
      itemCarrying(kept, 0, shared),
      itemCarrying(kept, 1, ownOfKept),
    ]);
    const live = await startStages(connection, search.client, 'live', root);
    const count = async (alias: string, reportId: string) =>
      (
        await search.client.count({
          index: alias,
          query: { term: { reportId } },
          ignore_unavailable: true,
        })
      ).count;
    const documents = async (reportId: string) => ({
      cases: await count(search.alias('cases'), reportId),
      items: await count(search.alias('items'), reportId),
    });
    const deps: EraseDeps = { connection, codec, search: search.client, store, logger };
    const order = { reportId: erased.reportId, reason: 'court order 1 (invented)', operator: 'operator-1' };
    try {
      await eventually(
        async () => [await documents(erased.reportId), await documents(kept.reportId)],
        (both) => both.every((docs) => docs.cases === 1 && docs.items === 2),
      );
      await search.client.indices.refresh({ index: `${search.prefix}*` });

      // The preview changes nothing and says what a run would do.
      const preview = await eraseReport(deps, { ...order, dryRun: true });
      expect(preview.status).toBe('dry-run');
      expect(preview.plan.search).toMatchObject({ cases: 1, items: 2 });
      expect(preview.plan.deleteFiles).toEqual([ownOfErased]);
      expect(preview.plan.keepFiles).toEqual([{ sha256: shared, otherReports: 1, stored: true }]);
      expect(preview.plan.left.map((row) => row.topic)).toContain(pipelineTopics.bundles.name);
      expect(await store.has(ownOfErased)).toBe(true);
      expect(await documents(erased.reportId)).toEqual({ cases: 1, items: 2 });

      const outcome = await eraseReport(deps, { ...order, dryRun: false });
      expect(outcome.status).toBe('erased');
      expect(await documents(erased.reportId)).toEqual({ cases: 0, items: 0 });
      expect(await store.has(ownOfErased)).toBe(false);
      expect(await store.has(shared)).toBe(true);
      expect(await store.has(ownOfKept)).toBe(true);
      expect(await documents(kept.reportId)).toEqual({ cases: 1, items: 2 });
      const sharedMedia = await search.client.get<{ reportIds: string[] }>({
        index: search.alias('media'),
        id: shared,
      });
      expect(sharedMedia._source?.reportIds).toEqual([kept.reportId]);
      const ownMedia = await search.client.exists({ index: search.alias('media'), id: ownOfErased });
      expect(ownMedia).toBe(false);

      // Audited, reason included, and on the ledger with its audit event.
      const ledger = await readErasureLedger(connection, codec);
      expect(ledger.get(erased.reportId)).toMatchObject({
        reason: 'court order 1 (invented)',
        operator: 'operator-1',
        auditEventId: expect.any(String),
      });
      const audit = await kafka.readTopic(pipelineTopics.audit.name, 1);
      const event = codec.decode('AuditEvent', audit[0]!.value!);
      expect(event).toMatchObject({
        actor: 'operator-1',
        role: 'operator',
        target: { type: 'report', id: erased.reportId },
        reason: 'erasure: court order 1 (invented)',
        eventId: ledger.get(erased.reportId)?.auditEventId,
      });

      // A late record of the erased report, then a replay: fresh groups reading every topic from the start.
      await produce(connection, [itemCarrying(erased, 1, ownOfErased)]);
      const replay = await startStages(connection, search.client, 'replay', root);
      const admin = new Admin(baseClientOptions(connection, 'erase-test-admin'));
      try {
        // Caught up: no group of either deployment has a record left to read.
        await eventually(
          async () => {
            let pending = 0;
            for (const { group, topics } of [...live.reads, ...replay.reads]) {
              for (const topic of topics) pending += (await consumerLag(admin, group, topic)).pending;
            }
            return pending;
          },
          (pending) => pending === 0,
          30_000,
        );
      } finally {
        await admin.close();
        await replay.stop();
      }
      await search.client.indices.refresh({ index: `${search.prefix}*` });
      expect(await documents(erased.reportId)).toEqual({ cases: 0, items: 0 });
      expect(await documents(kept.reportId)).toEqual({ cases: 1, items: 2 });

      // Again: nothing is left to erase, and the command says so.
      // As an operator runs it: its own process.
      const again = await runTriage(
        ['erase', '--report', order.reportId, '--reason', order.reason, '--operator', order.operator],
        {
          KAFKA_TOPIC_PREFIX: connection.topicPrefix ?? '',
          CONTENT_STORE_ROOT: store.root,
          LOG_LEVEL: 'error',
        },
      );
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`report ${erased.reportId} was erased at`);
      expect(again.stdout).toContain('nothing of it is left to erase: no-op');
      expect(await store.has(shared)).toBe(true);
    } finally {
      await live.stop();
    }
  }, 60_000);
});
