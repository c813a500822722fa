// Shared by the tests that read the queue over HTTP: a generated feed through the whole pipeline
// into Elasticsearch, with the triage API in its own process on the same deployment (its content
// store the intake's, so previews and reveals read the feed's files), torn down afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GenerateFeedOptions, GroundTruth } from '@triage/feed';
import type { IntakeProcess } from '@triage/intake/testing';
import { allTopics } from '@triage/messaging';
import type { KafkaFixture } from '@triage/messaging/testing/fixtures';
import type { Case } from '@triage/schemas';
import { createSearchClient, indexPrefix, type SearchClient } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { startTriageApiProcess, type TriageApiProcess } from '@triage/triage-api/testing';
import { expect } from 'vitest';
import {
  generateTruthFeed,
  importDemoList,
  pushFeed,
  startUpstream,
  type Upstream,
} from './feed-pipeline.ts';
import { type Downstream, startDownstream, untilIndexedNewest, untilItemsIndexed } from './queue-pipeline.ts';

/** The pipeline's result, once every report's newest case and every item is indexed. */
export interface FedQueue {
  readonly truth: GroundTruth;
  /** The topic's newest case per report. */
  readonly cases: ReadonlyMap<string, Case>;
  readonly client: SearchClient;
  /** The deployment's index prefix. */
  readonly prefix: string;
  readonly api: TriageApiProcess;
  /** Intake (its own process), for bundles the test sends after the feed. */
  readonly intake: IntakeProcess;
}

/**
 * Generates the feed, runs intake, splitter, hasher, enricher, scorer, indexer and the triage API
 * under the test's prefix, pushes every package and waits until the indices hold all of it; then
 * runs `use` and stops everything (last stage first), deleting the indices and the temp folder.
 */
export async function withFedQueue<T>(
  kafka: KafkaFixture,
  feed: Omit<GenerateFeedOptions, 'out'>,
  use: (fed: FedQueue) => Promise<T>,
): Promise<T> {
  const root = await mkdtemp(path.join(tmpdir(), 'e2e-fed-queue-'));
  const out = path.join(root, 'feed');
  const client = createSearchClient({ url: elasticsearchUrl });
  const prefix = indexPrefix(kafka.connection.topicPrefix ?? '');
  let upstream: Upstream | undefined;
  let downstream: Downstream | undefined;
  let api: TriageApiProcess | undefined;
  try {
    const truth = await generateTruthFeed({ ...feed, out });
    await kafka.createTopics(allTopics);
    await importDemoList(kafka.connection, out);
    upstream = await startUpstream(kafka.connection, root, truth);
    downstream = await startDownstream(kafka.connection, client, root);
    api = await startTriageApiProcess({
      connection: kafka.connection,
      elasticsearchUrl,
      authDir: path.join(root, 'auth'),
      env: { CONTENT_STORE_ROOT: upstream.intake.contentRoot },
    });
    await pushFeed(upstream.intake, out, truth);
    const reportIds = truth.reports.map((report) => report.reportId);
    // Up to 300 s: a loaded 2-core machine is slow with the whole pipeline (callers allow for it).
    const cases = await untilIndexedNewest(client, kafka.connection, reportIds, 300_000);
    const items = await untilItemsIndexed(client, kafka.connection, cases);
    expect(items.indexed).toBe(items.expected);
    return await use({ truth, cases, client, prefix, api, intake: upstream.intake });
  } finally {
    await api?.stop();
    await downstream?.stop();
    await upstream?.stop();
    await deletePrefixedIndices(client, prefix).catch(() => undefined);
    await client.close();
    await rm(root, { recursive: true, force: true });
  }
}
