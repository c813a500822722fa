import type { KafkaConnection } from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { createSearchClient, type SearchClient } from '@triage/search';
import { formatFixed, formatInt } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import { corpusVersion } from './corpus.ts';
import { deleteCorpus, loadCorpus, settleMerges } from './load-corpus.ts';
import { pagingWalks } from './query-mix.ts';
import { deepPageFrom, measureQueue } from './queue-latency.ts';
import { latencyTable, type NamedSamples, searchableTable } from './search-tables.ts';
import { measureSearchable } from './searchable-latency.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const elasticsearchUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
/** The benchmark deployment: topics and indices under it are this suite's alone. */
const prefix = 'bench-search.';
const seed = 20_261_204;
const itemsPerCase = 10;
/** Samples per query kind at full scale (a smoke run takes fewer). */
const fullSamples = 200;
const pages = 55;

interface IndexSize {
  name: string;
  docs: number;
  bytes: number;
}

/** Documents as `_count` sees them (index stats also count the items' nested match documents) and store bytes. */
async function indexSizes(client: SearchClient): Promise<IndexSize[]> {
  const stats = await client.indices.stats({ index: `${prefix}triage-*`, metric: ['store'] });
  const sizes: IndexSize[] = [];
  for (const [name, entry] of Object.entries(stats.indices ?? {})) {
    const docs = (await client.count({ index: name })).count;
    if (docs > 0) sizes.push({ name, docs, bytes: entry.primaries?.store?.size_in_bytes ?? 0 });
  }
  return sizes.sort((a, b) => a.name.localeCompare(b.name));
}

const gib = (bytes: number) => `${formatFixed(bytes / 2 ** 30, 2)} GiB`;
const mib = (bytes: number) => `${formatFixed(bytes / 2 ** 20, 0)} MiB`;

export const searchSuite: Suite = {
  name: 'search',
  title: 'Search: queue queries on 1M items and 100k cases, and final case to searchable',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const reuse = ctx.flags.includes('--reuse');
    const keep = reuse || ctx.flags.includes('--keep');
    const cases = Math.max(1_000, Math.round(100_000 * ctx.scale));
    const corpus = { seed, cases, itemsPerCase };
    const samples = Math.max(20, Math.round(fullSamples * Math.min(1, ctx.scale)));
    const client = createSearchClient({ url: elasticsearchUrl });
    const run = Date.now().toString(36);
    const auditConnection: KafkaConnection = {
      brokers,
      clientId: 'bench-search',
      topicPrefix: `bench-search-api-${run}.`,
    };
    const suiteStarted = performance.now();
    try {
      const loaded = await loadCorpus({ client, prefix, corpus, reuse, log: ctx.log });
      await settleMerges(client, prefix, ctx.log);
      const sizes = await indexSizes(client);
      ctx.log(
        `indices: ${sizes.map((size) => `${size.name} ${size.docs} docs ${mib(size.bytes)}`).join(', ')}`,
      );
      const queueStarted = performance.now();
      const queue = await measureQueue({ client, prefix, auditConnection, samples, pages, log: ctx.log });
      const queueSeconds = (performance.now() - queueStarted) / 1000;
      const liveSeconds = ctx.scale >= 1 ? 60 : Math.max(10, Math.round(60 * ctx.scale));
      const live = await measureSearchable({
        client,
        connection: { brokers, clientId: 'bench-search', topicPrefix: prefix },
        ratePerSecond: 50,
        seconds: liveSeconds,
        timeoutMs: 60_000,
        log: ctx.log,
      });
      const node = Object.values((await client.nodes.info({ metric: ['jvm'] })).nodes)[0];
      const version = node?.version ?? 'unknown';
      const totalSeconds = (performance.now() - suiteStarted) / 1000;

      const queueRows: NamedSamples[] = [...queue.kinds.entries()]
        .filter(([kind]) => kind !== 'case view')
        .map(([name, entry]) => ({ name, ...entry }));
      const all: NamedSamples = {
        name: '**all queue queries**',
        api: queueRows.flatMap((row) => row.api),
        es: queueRows.flatMap((row) => row.es),
        hits: queueRows.flatMap((row) => row.hits),
      };
      const caseView = queue.kinds.get('case view');
      const rows = [
        ...queueRows,
        all,
        ...(caseView ? [{ name: 'case view (`GET /v1/cases/{id}`)', ...caseView }] : []),
      ];
      const { markdown: table, goalMet } = latencyTable(rows, queue.baseline, 100);
      const searchable = searchableTable(live.latencies, 5_000);
      const itemsDocs = sizes.find((size) => size.name.includes('triage-items'))?.docs ?? 0;
      const markdown = [
        `**Corpus**: ${formatInt(cases)} cases, ${formatInt(cases * itemsPerCase)} items and their media documents, invented by`,
        `\`bench/search/corpus.ts\` (seed ${seed}, version ${corpusVersion}) and turned into documents by the indexer's own builders`,
        '(`planCaseWrite` with each case\u2019s actions folded, `itemDocument`, `mergeMediaDocument`), bulk-loaded into indices made from',
        'the real catalogue (`ensureSearchIndices`: the production templates and mappings, 1 shard, 0 replicas) under `bench-search.`;',
        'queries start once the load\u2019s background merges are over (no force-merge: a live index is not merged down either).',
        `${loaded.reused ? 'This run **reused** a corpus loaded earlier (`--reuse`).' : `Loaded in this run: ${formatInt(loaded.documents)} documents in ${formatFixed(loaded.seconds, 0)} s (${formatInt(loaded.documents / loaded.seconds)} docs/s, refresh off while loading, 2 bulk requests of 2 000 documents in flight).`}`,
        '',
        '| Index | Documents | Size (primary store) |',
        '| --- | ---: | ---: |',
        ...sizes.map((size) => `| \`${size.name}\` | ${formatInt(size.docs)} | ${mib(size.bytes)} |`),
        '',
        `**Elasticsearch** ${version}, single node, heap max ${gib(queue.heapMaxBytes)}; heap used peaked at ${gib(queue.heapPeakBytes)}`,
        'while the queries ran (`_nodes/stats/jvm`, sampled every second).',
        '',
        `### Queue queries (${samples} of each kind, interleaved; goal p95 < 100 ms: **${goalMet ? 'met' : 'not met'}**)`,
        '',
        table,
        '',
        '**Method.** *API*: `GET /v1/cases?...` through the real triage API (`buildApp` + `inject`, in this process): token',
        'verification (local issuer), query-string validation, the audit gate (an AuditEvent produced with acks=all to a',
        'bench topic before the answer), the Elasticsearch search built by `caseSearchRequest` (score or received sort,',
        'six facets, `track_total_hits`), the JSON answer. *ES alone*: the very request the API sent (captured from its',
        'client) replayed right after it (on the caches the API\u2019s call warmed), client round trip. The gap between the',
        'two is the API\u2019s own cost (mostly the audit write). The kinds: the default queue (no filter); tier P1/P2 + P3 and a status; country + partner; known list +',
        'category; a 30-day received window; a 7-day incident window by received time; an assignee; two invented words',
        `of the middle of the vocabulary, both required (full text); deep paging: ${pagingWalks.length} walks of ${pages} pages of`,
        `50 following \`nextCursor\` (\`search_after\`), pages ${deepPageFrom}-${pages} measured. Parameters are drawn per sample`,
        '(countries, partners, windows, words...). The case view reads the case, its items (out of the items index) and',
        'actions. *Baseline*: a bare `match_all`, size 50, on the same cases alias, asked once per round between the others;',
        'ratios are p95 against its p95. The machine (2 cores) is shared with other work: its 1-minute load average',
        `while the queries ran was ${formatFixed(queue.loadMean, 1)} on average, ${formatFixed(queue.loadMax, 1)} at most (2 = both cores busy).`,
        '',
        `### Final case written to searchable (goal p95 < 5 s: **${searchable.goalMet ? 'met' : 'not met'}**)`,
        '',
        searchable.markdown,
        '',
        `**Method.** The real indexer (\`createIndexerService\`, in this process) consumes \`bench-search.cases.v1\` and writes into`,
        `the corpus above (${formatInt(itemsDocs)} items, ${formatInt(cases)} cases: the same indices). ${formatInt(live.produced)} final cases produced one`,
        `by one at 50/s for ${liveSeconds} s (Avro, \`@triage/schemas\` codec, acks=all); each one\u2019s latency runs from its produce`,
        `acknowledgement until a search through the cases alias (\`terms\` on the pending report ids, every ${live.pollMs} ms) returns`,
        `it. Refresh interval in force: \`${live.refreshInterval}\` (the templates set none: Elasticsearch\u2019s default). The`,
        'live cases are deleted afterwards, so the corpus stays reusable.',
        '',
        `**Run**: ${formatFixed(totalSeconds / 60, 1)} min in all on this 2-core machine (queries ${formatFixed(queueSeconds / 60, 1)} min;`,
        `${loaded.reused ? 'corpus reused' : `corpus load ${formatFixed(loaded.seconds / 60, 1)} min`}). Command: \`pnpm bench search\` (builds the`,
        'corpus, deletes it afterwards); `pnpm bench search --keep` keeps it; `pnpm bench search --reuse` reuses a kept corpus',
        'of the same seed, version and size (rebuilding it when there is none) and keeps it; `BENCH_SCALE=0.1` is a tenth of the size.',
      ].join('\n');
      return {
        markdown,
        facts: [
          {
            name: 'Elasticsearch',
            value: `${version}, ${elasticsearchUrl}, heap max ${gib(queue.heapMaxBytes)}`,
          },
          { name: 'Kafka', value: `${brokers.join(',')}, RF 1, topics under bench-search prefixes` },
        ],
      };
    } finally {
      await deletePrefixedTopics(auditConnection, 'bench-search-cleanup').catch((error: unknown) =>
        ctx.log(`cleanup: ${String(error)}`),
      );
      if (!keep) {
        ctx.log(`deleting the corpus under ${prefix} (--keep or --reuse keeps it)`);
        await deleteCorpus(client, prefix).catch((error: unknown) => ctx.log(`cleanup: ${String(error)}`));
      }
      await client.close();
    }
  },
};
