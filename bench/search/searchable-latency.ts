/**
 * Final case to searchable: the real indexer (in this process) consumes a bench-prefixed
 * `cases.v1` and writes into the loaded corpus's indices (the same prefix: cases land in an index of
 * the full size). Cases are produced one by one at a steady rate; each one's latency runs from its
 * produce acknowledgement until a narrow search through the cases alias returns it.
 */
import { createIndexerService, indexerInputs } from '@triage/indexer/service';
import { createLogger } from '@triage/logging';
import {
  bootstrapTopics,
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { type Case, createCodec } from '@triage/schemas';
import { indexNames, type SearchClient, searchIndices } from '@triage/search';
import { CorpusGenerator } from './corpus.ts';

export interface SearchableLatency {
  /** Milliseconds from acknowledgement to found, one per case. */
  latencies: number[];
  produced: number;
  /** `index.refresh_interval` of the cases index while measured (explicit or the default). */
  refreshInterval: string;
  pollMs: number;
}

export interface SearchableLatencyOptions {
  client: SearchClient;
  /** Topic prefix = the corpus's index prefix (the indexer derives its index names from it). */
  connection: KafkaConnection;
  ratePerSecond: number;
  seconds: number;
  /** Each case is looked for until this long after its acknowledgement. */
  timeoutMs: number;
  log: (message: string) => void;
}

const codec = createCodec();
const logger = createLogger({ name: 'bench-search-indexer', level: 'warn' });
const pollMs = 50;

export async function measureSearchable(options: SearchableLatencyOptions): Promise<SearchableLatency> {
  const { client, connection, log } = options;
  const prefix = connection.topicPrefix ?? '';
  const { alias, index } = indexNames(prefix, searchIndices.cases);
  const count = Math.round(options.ratePerSecond * options.seconds);
  const run = Date.now().toString(36);
  // Final cases of reports the corpus does not have (their own id tag), as the scorer writes them.
  const generator = new CorpusGenerator({ seed: 4242, cases: count, itemsPerCase: 10, idTag: `L${run}-` });
  const cases: Case[] = Array.from({ length: count }, (_, n) => generator.report(n).case);
  // One case found before the clock starts (the groups join, the producer learns the metadata).
  const warm = new CorpusGenerator({ seed: 4243, cases: 1, itemsPerCase: 10, idTag: `W${run}-` }).report(
    0,
  ).case;

  // Leftover topics of an interrupted run would feed the indexer old records.
  await deletePrefixedTopics(connection, 'bench-search-cleanup');
  await bootstrapTopics({ connection, topics: indexerInputs(), replicationFactor: 1 });
  const service = createIndexerService({
    connection,
    codec,
    logger,
    client,
    groupId: `bench-search-${run}`,
    replicas: 0,
  });
  const producer = createRecordProducer(connection, 'bench-search-live');
  const topic = deployedTopic(connection, pipelineTopics.cases.name);
  const settings = await client.indices.getSettings({ index, include_defaults: true, flat_settings: true });
  const entry = Object.values(settings)[0];
  const refreshInterval = String(
    entry?.settings?.['index.refresh_interval'] ?? entry?.defaults?.['index.refresh_interval'] ?? 'unknown',
  );
  await service.start();
  const acked = new Map<string, number>();
  const latencies: number[] = [];
  let polling = true;
  try {
    await producer.send([{ topic, key: warm.reportId, value: Buffer.from(codec.encode('Case', warm)) }]);
    await waitFound(client, alias, warm.reportId, 120_000);
    log(
      `indexer ready; producing ${count} final cases at ${options.ratePerSecond}/s, refresh interval ${refreshInterval}`,
    );

    const poller: Promise<unknown> = (async () => {
      while (polling || acked.size > 0) {
        const pending = [...acked.keys()];
        if (pending.length > 0) {
          const response = await client.search<{ reportId: string }>({
            index: alias,
            size: pending.length,
            _source: ['reportId'],
            query: { bool: { filter: [{ terms: { reportId: pending } }, { term: { hasCase: true } }] } },
          });
          const now = performance.now();
          for (const hit of response.hits.hits) {
            const at = acked.get(hit._source!.reportId);
            if (at === undefined) continue;
            latencies.push(now - at);
            acked.delete(hit._source!.reportId);
          }
          for (const [reportId, at] of acked) {
            if (now - at > options.timeoutMs)
              throw new Error(`case ${reportId} not searchable after ${options.timeoutMs} ms`);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    })().then(
      () => null,
      (error: unknown) => error,
    );

    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (const [n, value] of cases.entries()) {
      const due = started + (n * 1000) / options.ratePerSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sends.push(
        producer
          .send([{ topic, key: value.reportId, value: Buffer.from(codec.encode('Case', value)) }])
          .then(() => void acked.set(value.reportId, performance.now())),
      );
      if ((n + 1) % (options.ratePerSecond * 15) === 0) log(`produced ${n + 1} / ${count}`);
    }
    await Promise.all(sends);
    polling = false;
    const failed = await poller;
    if (failed !== null) throw failed;
    return { latencies, produced: count, refreshInterval, pollMs };
  } finally {
    polling = false;
    acked.clear();
    await service.stop();
    await producer.close();
    // The live cases leave the corpus as it was (a kept corpus must stay reusable).
    const ids = [warm, ...cases].map((value) => value.reportId);
    for (let from = 0; from < ids.length; from += 1_000) {
      await client
        .bulk({
          operations: ids.slice(from, from + 1_000).map((id) => ({ delete: { _index: index, _id: id } })),
        })
        .catch((error: unknown) => log(`cleanup: ${String(error)}`));
    }
    await deletePrefixedTopics(connection, 'bench-search-cleanup').catch((error: unknown) =>
      log(`cleanup: ${String(error)}`),
    );
  }
}

async function waitFound(
  client: SearchClient,
  alias: string,
  reportId: string,
  timeoutMs: number,
): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const { count } = await client.count({ index: alias, query: { term: { reportId } } });
    if (count > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the indexer did not make ${reportId} searchable within ${timeoutMs} ms`);
}
