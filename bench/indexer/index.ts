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
import {
  createSearchClient,
  emptyTriageState,
  ensureSearchIndices,
  indexNames,
  type SearchClient,
  searchIndices,
} from '@triage/search';
import { formatFixed, formatInt, formatRatio, median } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const elasticsearchUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
const codec = createCodec();
const logger = createLogger({ name: 'bench-indexer', level: 'warn' });
const repetitions = 3;
const bulkChunk = 500;

/** Invented cases of 5 items each (about the size of a typical case document). */
function workload(count: number, run: string, stale: boolean): Case[] {
  return Array.from({ length: count }, (_, n) => {
    const reportId = `tipline-bench:${run}-${n}`;
    return codec.decode(
      'Case',
      codec.encode('Case', {
        reportId,
        version: 1,
        report: {
          partnerId: 'tipline-bench',
          partnerReportId: String(n),
          bundleId: `b-${n}`,
          receivedAt: 1_700_000_000_000 + n,
        },
        items: Array.from({ length: 5 }, (_, index) => ({
          itemId: `${reportId}/file-${index}`,
          kind: 'file' as const,
          sha256: (n * 5 + index).toString(16).padStart(64, '0'),
          mediaType: 'image/jpeg',
        })),
        enrichment: { countryCodes: ['NL'], asOrganizations: ['Example AS'] },
        score: n % 100,
        tier: (['P1', 'P2', 'P3', 'P4'] as const)[n % 4],
        ruleVersion: 'bench-1',
        // The stale copies: provisional with fewer items, emitted later (as a scorer that lost its partition does).
        provisional: stale,
        itemsExpected: 5,
        itemsSeen: stale ? 3 : 5,
        updatedAt: 1_700_000_100_000 + (stale ? 10_000 : 0),
      }),
    );
  });
}

/** Baseline: the same documents, one bulk `index` per 500, no read and no guard. */
async function bareBulk(client: SearchClient, prefix: string, cases: readonly Case[]): Promise<number> {
  await ensureSearchIndices({ client, prefix, replicas: 0, specs: [searchIndices.cases] });
  const { index } = indexNames(prefix, searchIndices.cases);
  const started = performance.now();
  for (let from = 0; from < cases.length; from += bulkChunk) {
    const operations = cases
      .slice(from, from + bulkChunk)
      .flatMap((value) => [
        { index: { _index: index, _id: value.reportId } },
        { ...value, hasCase: true, reportText: null, triage: emptyTriageState },
      ]);
    const response = await client.bulk({ operations });
    if (response.errors) throw new Error('bare bulk: some documents failed');
  }
  await client.indices.refresh({ index });
  return (performance.now() - started) / 1000;
}

async function produceCases(connection: KafkaConnection, cases: readonly Case[]): Promise<void> {
  const producer = createRecordProducer(connection, 'bench-indexer-input');
  const topic = deployedTopic(connection, pipelineTopics.cases.name);
  try {
    for (let from = 0; from < cases.length; from += bulkChunk) {
      await producer.send(
        cases.slice(from, from + bulkChunk).map((value) => ({
          topic,
          key: value.reportId,
          value: Buffer.from(codec.encode('Case', value)),
        })),
      );
    }
  } finally {
    await producer.close();
  }
}

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}

interface IndexerRun {
  /** From start() until every case is searchable (group join included). */
  seconds: number;
  /** From the first case searchable until the last (start-up left out). */
  steadySeconds: number;
  /** Then the same reports' stale copies, until the guard has dropped every one. */
  staleSeconds: number;
}

/** The deployable: pre-filled cases.v1, a fresh group, until every case is searchable; then the stale copies. */
async function throughIndexer(
  client: SearchClient,
  connection: KafkaConnection,
  cases: readonly Case[],
  stale: readonly Case[],
): Promise<IndexerRun> {
  await bootstrapTopics({
    connection,
    topics: indexerInputs(),
    replicationFactor: 1,
  });
  await produceCases(connection, cases);
  const { alias } = indexNames(connection.topicPrefix ?? '', searchIndices.cases);
  const service = createIndexerService({
    connection,
    codec,
    logger,
    client,
    groupId: 'bench-indexer',
    replicas: 0,
  });
  const started = performance.now();
  await service.start();
  try {
    let first: number | undefined;
    await until(async () => {
      await client.indices.refresh({ index: alias });
      const searchable = (await client.count({ index: alias })).count;
      if (searchable > 0) first ??= performance.now();
      return searchable >= cases.length;
    });
    const done = performance.now();
    const seconds = (done - started) / 1000;
    const steadySeconds = (done - (first ?? started)) / 1000;
    await produceCases(connection, stale);
    const staleStarted = performance.now();
    await until(() => service.metrics().indexer.staleCases >= stale.length);
    return { seconds, steadySeconds, staleSeconds: (performance.now() - staleStarted) / 1000 };
  } finally {
    await service.stop();
  }
}

async function cleanup(client: SearchClient, prefix: string, ctx: SuiteContext): Promise<void> {
  await client.indices
    .delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true })
    .catch((error: unknown) => ctx.log(`cleanup: ${String(error)}`));
  await client.indices.deleteIndexTemplate({ name: `${prefix}*` }).catch(() => undefined);
}

export const indexerSuite: Suite = {
  name: 'indexer',
  title: 'Indexer: cases into Elasticsearch against a bare bulk load',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const count = Math.max(500, Math.round(20_000 * ctx.scale));
    const client = createSearchClient({ url: elasticsearchUrl });
    const bare: number[] = [];
    const runs: IndexerRun[] = [];
    const run = Date.now().toString(36);
    try {
      for (let repetition = 1; repetition <= repetitions; repetition++) {
        const cases = workload(count, `${run}-${repetition}`, false);
        const stale = workload(count, `${run}-${repetition}`, true);
        const barePrefix = `bench-bare-${run}-${repetition}.`;
        const connection: KafkaConnection = {
          brokers,
          clientId: 'bench-indexer',
          topicPrefix: `bench-indexer-${run}-${repetition}.`,
        };
        try {
          ctx.log(`repetition ${repetition}: bare bulk of ${formatInt(count)} case documents`);
          bare.push(await bareBulk(client, barePrefix, cases));
          ctx.log(`repetition ${repetition}: the indexer, then ${formatInt(count)} stale copies`);
          runs.push(await throughIndexer(client, connection, cases, stale));
        } finally {
          await cleanup(client, barePrefix, ctx);
          await cleanup(client, connection.topicPrefix!, ctx);
          await deletePrefixedTopics(connection, 'bench-indexer-cleanup').catch((error: unknown) =>
            ctx.log(`cleanup: ${String(error)}`),
          );
        }
      }
      // The node's version and heap (this server answers `GET /` with 405, so not `info()`).
      const node = Object.values((await client.nodes.info({ metric: ['jvm'] })).nodes)[0];
      const version = node?.version ?? 'unknown';
      const heap = node?.jvm?.mem?.heap_max_in_bytes ?? 0;
      const rate = (seconds: number) => count / seconds;
      const bareRate = median(bare.map(rate));
      const indexerRate = median(runs.map((entry) => rate(entry.seconds)));
      const steadyRate = median(runs.map((entry) => rate(entry.steadySeconds)));
      const staleRate = median(runs.map((entry) => rate(entry.staleSeconds)));
      const row = (what: string, docs: number, notes: string) =>
        `| ${what} | ${formatInt(docs)} | ${formatRatio(docs, bareRate)} | ${notes} |`;
      const markdown = [
        `${formatInt(count)} invented cases of 5 items each. Rates are documents per second, the median of ${repetitions}`,
        'repetitions; ratios against the baseline, **a bare bulk load** of the same case documents (one',
        `\`_bulk\` of ${bulkChunk} \`index\` operations at a time, no read, no guard, then a refresh).`,
        '',
        '| Path | Docs/s | vs bare bulk | Notes |',
        '| --- | ---: | ---: | --- |',
        row('Bare bulk load (baseline)', bareRate, `${bulkChunk} per request, the client in this process`),
        row(
          'Indexer, steady',
          steadyRate,
          'from the first case searchable to the last (polled every 100 ms with a refresh)',
        ),
        row(
          'Indexer, with start-up',
          indexerRate,
          'from `start()` (index set-up, four groups joining) until `_count` shows every case: decode, `_mget` of the guard fields, guarded `_bulk`, offset commits',
        ),
        row(
          'Indexer, stale copies dropped',
          staleRate,
          'the same reports again, older (provisional, fewer items, later `updatedAt`): one `_mget` per batch, nothing written',
        ),
        '',
        '**Method.** One indexer in the suite process against the local broker (RF 1) and Elasticsearch',
        `(${version}, single node, heap ${formatFixed(heap / 2 ** 30, 1)} GiB), all on the same two cores.`,
        'Each repetition uses fresh topics and indices under a new prefix, deleted afterwards; the cases are',
        'produced before the indexer starts. See [ADR 0009](adr/0009-stale-case-guard.md).',
      ].join('\n');
      return {
        markdown,
        facts: [
          { name: 'Elasticsearch', value: `${version}, ${elasticsearchUrl}` },
          { name: 'Kafka', value: `${brokers.join(',')}, RF 1, topics under a fresh prefix` },
        ],
      };
    } finally {
      await client.close();
    }
  },
};
