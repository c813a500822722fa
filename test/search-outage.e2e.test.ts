// Issue 10's outage test: Elasticsearch stopped for 30 s in the middle of a feed. The indexer
// stops fetching while it is gone and resumes when it is back; afterwards every report's case is
// in the index exactly once, and it is the newest case the scorer wrote. The test runs its own
// Elasticsearch (the stack's, on another port) so that stopping it disturbs nothing else.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stackDown, stackUp } from '@triage/local-stack';
import { allTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createSearchClient, indexNames, indexPrefix, searchIndices } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { expect } from 'vitest';
import {
  generateTruthFeed,
  importDemoList,
  pushFeed,
  startUpstream,
  type Upstream,
} from './support/feed-pipeline.ts';
import {
  type Downstream,
  indexedCases,
  startDownstream,
  untilIndexedNewest,
  untilItemsIndexed,
} from './support/queue-pipeline.ts';

const feedOptions = { seed: 31, reports: 16, maxFiles: 8, format: 'json' } as const;
const outageMs = 30_000;
/** This test's own Elasticsearch: the shared one's port + 50 (transport + 100, as the stack does). */
const ownPort = Number(new URL(elasticsearchUrl).port || 9200) + 50;
const ownElasticsearch = { kafka: false, elasticsearch: true, elasticsearchPort: ownPort } as const;

kafkaTest(
  'given Elasticsearch stopped for 30 s mid-feed, when it is back, then every case is in the index exactly once and it is the newest',
  async ({ kafka }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'e2e-outage-'));
    const out = path.join(root, 'feed');
    await stackUp(ownElasticsearch);
    const client = createSearchClient({ url: `http://127.0.0.1:${ownPort}` });
    const prefix = indexPrefix(kafka.connection.topicPrefix ?? '');
    let upstream: Upstream | undefined;
    let downstream: Downstream | undefined;
    try {
      const truth = await generateTruthFeed({ ...feedOptions, out });
      await kafka.createTopics(allTopics);
      await importDemoList(kafka.connection, out);
      upstream = await startUpstream(kafka.connection, root, truth);
      downstream = await startDownstream(kafka.connection, client, root);

      // Half the packages with Elasticsearch up, then it stops; the other half while it is down.
      let pushed = 0;
      let stoppedAt = 0;
      await pushFeed(upstream.intake, out, truth, async () => {
        pushed += 1;
        if (pushed !== Math.ceil(truth.packages.length / 2)) return;
        await stackDown(ownElasticsearch);
        stoppedAt = Date.now();
      });
      expect(stoppedAt).toBeGreaterThan(0);
      await sleep(Math.max(0, stoppedAt + outageMs - Date.now()));
      await stackUp(ownElasticsearch);

      const reportIds = truth.reports.map((report) => report.reportId);
      const newest = await untilIndexedNewest(client, kafka.connection, reportIds, 180_000);
      expect(newest.size).toBe(truth.reports.length);

      // Exactly once: one document per report, no report under two ids.
      const documents = await indexedCases(client, kafka.connection);
      expect(documents.map((doc) => doc.reportId).sort()).toEqual([...reportIds].sort());
      const cases = indexNames(prefix, searchIndices.cases).alias;
      expect((await client.count({ index: cases })).count).toBe(truth.reports.length);
      // Every item of every report indexed once (deterministic ids: a re-delivered item overwrote itself).
      const items = await untilItemsIndexed(client, kafka.connection, newest);
      expect(items.indexed).toBe(items.expected);
      // The outage was real: the indexer met it and retried, and nothing was refused for good.
      const { indexer } = downstream.indexer.metrics();
      expect(indexer.rejected).toBe(0);
    } finally {
      await downstream?.stop();
      await upstream?.stop();
      await stackUp(ownElasticsearch).catch(() => undefined);
      await deletePrefixedIndices(client, prefix).catch(() => undefined);
      await client.close();
      await stackDown(ownElasticsearch).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    }
  },
);
