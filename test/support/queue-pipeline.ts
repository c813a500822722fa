// Shared by the queue e2e tests: the stages after the hasher (enricher, scorer, indexer) in the
// test process, the cases of a topic folded to the newest per report, and waiting until the
// cases index holds exactly those.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEnricherService } from '@triage/enricher/service';
import { NetworkEnricher } from '@triage/enrichment';
import { createIndexerService, type IndexerService } from '@triage/indexer/service';
import { deployedTopic, type KafkaConnection, PartitionReader, pipelineTopics } from '@triage/messaging';
import type { Case } from '@triage/schemas';
import { createScorerService } from '@triage/scorer/service';
import { testIdentifierKeys } from '@triage/scorer/testing';
import { loadRules, type ScoringRules } from '@triage/scoring';
import {
  type CaseDocument,
  indexNames,
  indexPrefix,
  newerCase,
  type SearchClient,
  searchIndices,
} from '@triage/search';
import { codec, logger } from './pipeline.ts';

/** The enricher, the scorer and the indexer, up to the search indices. */
export interface Downstream {
  readonly rules: ScoringRules;
  readonly indexer: IndexerService;
  /** Stops what runs, last stage first. */
  stop(): Promise<void>;
}

/**
 * Starts the enricher, the scorer (the project's rules; its state on disk under `root`, the
 * test's own folder) and the indexer writing through `client`.
 */
export async function startDownstream(
  connection: KafkaConnection,
  client: SearchClient,
  root: string,
): Promise<Downstream> {
  const rules = loadRules();
  const enricher = await NetworkEnricher.open({ homeCountry: rules.homeCountry, reloadIntervalMs: 0 });
  const enricherService = createEnricherService({
    connection,
    codec,
    logger,
    groupId: 'enricher-e2e',
    enricher,
  });
  const scorer = createScorerService({
    connection,
    codec,
    logger,
    groupId: 'scorer-e2e',
    rules,
    enricher,
    identifierKeys: testIdentifierKeys,
    provisionalEvery: 200,
    quietMs: 60_000,
    stateDir: path.join(root, 'scorer-state'),
  });
  const indexer = createIndexerService({
    connection,
    codec,
    logger,
    client,
    groupId: 'indexer-e2e',
    replicas: 0,
  });
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const service of started.splice(0).reverse()) await service.stop();
  };
  try {
    for (const service of [enricherService, scorer, indexer]) {
      await service.start();
      started.push(service);
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { rules, indexer, stop };
}

/** Every case on cases.v1 so far, folded to the newest per report (the stale-case guard's order, ADR 0009). */
async function newestCases(connection: KafkaConnection): Promise<Map<string, Case>> {
  const newest = new Map<string, Case>();
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, pipelineTopics.cases.name),
    name: 'e2e-newest-cases',
  });
  try {
    await reader.readToEnd((record) => {
      if (record.value === null) return;
      const value = codec.decode('Case', record.value);
      newest.set(value.reportId, newerCase(newest.get(value.reportId) ?? null, value));
    });
  } finally {
    await reader.close();
  }
  return newest;
}

/** The fields that tell one emission of a case from another. */
const caseStamp = (
  value: Pick<Case, 'version' | 'provisional' | 'itemsSeen' | 'updatedAt' | 'score' | 'tier'>,
) =>
  `${value.version}/${value.provisional}/${value.itemsSeen}/${value.updatedAt}/${value.score}/${value.tier}`;

/** The cases documents of a deployment, by report id (at most `size`). */
export async function indexedCases(
  client: SearchClient,
  connection: KafkaConnection,
  size = 1_000,
): Promise<CaseDocument[]> {
  const alias = indexNames(indexPrefix(connection.topicPrefix ?? ''), searchIndices.cases).alias;
  await client.indices.refresh({ index: alias });
  const found = await client.search<CaseDocument>({ index: alias, size, query: { term: { hasCase: true } } });
  return found.hits.hits.map((hit) => hit._source!);
}

/**
 * Waits until the cases index holds, for every report, the newest case of the topic (read again
 * each round, as late links re-emit cases). Returns the topic's newest cases; on timeout, throws
 * naming the reports that differ.
 */
export async function untilIndexedNewest(
  client: SearchClient,
  connection: KafkaConnection,
  reportIds: readonly string[],
  timeoutMs = 120_000,
): Promise<Map<string, Case>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const newest = await newestCases(connection);
    const documents = new Map((await indexedCases(client, connection)).map((doc) => [doc.reportId, doc]));
    const differing = reportIds.filter((reportId) => {
      const expected = newest.get(reportId);
      const actual = documents.get(reportId);
      return (
        expected === undefined ||
        expected.provisional ||
        actual === undefined ||
        caseStamp(expected) !== caseStamp(actual as Case)
      );
    });
    if (differing.length === 0) return newest;
    if (Date.now() > deadline)
      throw new Error(`the cases index does not hold the newest case of: ${differing.join(', ')}`);
    await sleep(1_000);
  }
}

/**
 * Waits until the items index holds one document per item the newest cases have seen (the items
 * group indexes apart from the cases group, so it may be behind when the cases are in). Returns
 * the count it reached; on timeout, the count it had.
 */
export async function untilItemsIndexed(
  client: SearchClient,
  connection: KafkaConnection,
  cases: ReadonlyMap<string, Case>,
  timeoutMs = 60_000,
): Promise<{ expected: number; indexed: number }> {
  const alias = indexNames(indexPrefix(connection.topicPrefix ?? ''), searchIndices.items).alias;
  const expected = [...cases.values()].reduce((sum, value) => sum + value.itemsSeen, 0);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await client.indices.refresh({ index: alias });
    const indexed = (await client.count({ index: alias })).count;
    if (indexed >= expected || Date.now() > deadline) return { expected, indexed };
    await sleep(500);
  }
}
