/**
 * Queue latency on the loaded corpus, two ways per request: through the real triage API (buildApp +
 * inject: token check, query validation, the audit gate writing to Kafka, the search, the answer's
 * serialisation), and the API's own Elasticsearch requests replayed alone (captured from the API's
 * client, so the ES-only figure is exactly the query the API sent). A bare `match_all` of 50 on the
 * same alias is the baseline.
 */
import { loadavg } from 'node:os';
import { bootstrapTopics, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { indexNames, type SearchClient, searchIndices } from '@triage/search';
import { startBenchApi } from './bench-api.ts';
import { pagingWalks, type QueryParams, queryPlan, queryString } from './query-mix.ts';

/** Every timing of one kind of request, in milliseconds. */
interface KindSamples {
  /** Through the API (inject: request in, answer out). */
  api: number[];
  /** The API's Elasticsearch requests replayed alone (client round trip; parallel ones as the API sends them). */
  es: number[];
  /** Total hits of each answer. */
  hits: number[];
}

export interface QueueLatency {
  kinds: Map<string, KindSamples>;
  /** `match_all`, size 50, on the cases alias. */
  baseline: number[];
  heapMaxBytes: number;
  /** Most heap used seen while the queries ran (sampled every second). */
  heapPeakBytes: number;
  /** The machine's 1-minute load average while the queries ran (sampled every second): mean and max. */
  loadMean: number;
  loadMax: number;
}

export interface QueueLatencyOptions {
  client: SearchClient;
  /** The corpus deployment's index prefix. */
  prefix: string;
  /** Where the API's audit trail writes (its own topics). */
  auditConnection: KafkaConnection;
  /** Samples per query kind (each a different parameter draw). */
  samples: number;
  /** Pages walked per deep-paging walk; pages from 50 on are measured. */
  pages: number;
  log: (message: string) => void;
}

interface Captured {
  request: Record<string, unknown>;
}

export const deepPageFrom = 50;

export async function measureQueue(options: QueueLatencyOptions): Promise<QueueLatency> {
  const { client, prefix, log } = options;
  await bootstrapTopics({
    connection: options.auditConnection,
    // The audit topic, and the actions topic an API of issue 10's later routes also writes to.
    topics: [pipelineTopics.audit, pipelineTopics.triageActions],
    replicationFactor: 1,
  });
  // The API's Elasticsearch client, recording what it asks, so the same requests can be replayed alone.
  let captured: Captured[] = [];
  const recording = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'search') return Reflect.get(target, property, receiver);
      return (request: Record<string, unknown>, ...rest: unknown[]) => {
        captured.push({ request });
        return (target.search as (...args: unknown[]) => Promise<unknown>)(request, ...rest);
      };
    },
  });
  const api = await startBenchApi({ connection: options.auditConnection, client: recording, prefix });
  const alias = indexNames(prefix, searchIndices.cases).alias;
  const kinds = new Map<string, KindSamples>();
  const baseline: number[] = [];
  const heap = await heapSampler(client);

  /** One API request and its ES requests replayed; the answer's body. */
  const measure = async (kind: string | null, url: string): Promise<Record<string, unknown>> => {
    captured = [];
    const started = performance.now();
    const response = await api.get(url);
    const apiMs = performance.now() - started;
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    const body = JSON.parse(response.body) as Record<string, unknown>;
    const requests = captured;
    const replayStarted = performance.now();
    await Promise.all(requests.map(({ request }) => client.search(request)));
    const esMs = performance.now() - replayStarted;
    if (kind !== null) {
      const samples = kinds.get(kind) ?? { api: [], es: [], hits: [] };
      samples.api.push(apiMs);
      samples.es.push(esMs);
      samples.hits.push(typeof body.total === 'number' ? body.total : 1);
      kinds.set(kind, samples);
    }
    return body;
  };
  const bare = async () => {
    const started = performance.now();
    await client.search({ index: alias, size: 50, query: { match_all: {} } });
    baseline.push(performance.now() - started);
  };

  try {
    // Report ids to view: a random sample of the corpus (random_score needs no script).
    const sample = await client.search<{ reportId: string }>({
      index: alias,
      size: 200,
      _source: ['reportId'],
      query: {
        function_score: {
          query: { match_all: {} },
          functions: [{ random_score: { seed: 42, field: '_seq_no' } }],
        },
      },
    });
    const reportIds = sample.hits.hits.map((hit) => hit._source!.reportId);

    const plan = queryPlan(11, options.samples);
    log(`warming up (${plan.length / options.samples} kinds, API and replay)`);
    for (const { params } of queryPlan(12, 3)) await measure(null, `/v1/cases?${queryString(params)}`);
    log(
      `${plan.length} queue queries, ${options.samples} case views, ${pagingWalks.length} walks of ${options.pages} pages`,
    );
    for (const [n, { kind, params }] of plan.entries()) {
      await measure(kind, `/v1/cases?${queryString(params)}`);
      // After each round of the kinds: the baseline and one case view.
      if ((n + 1) % (plan.length / options.samples) === 0) {
        await bare();
        const round = (n + 1) / (plan.length / options.samples);
        await measure('case view', `/v1/cases/${encodeURIComponent(reportIds[round % reportIds.length]!)}`);
        if (round % 50 === 0) log(`round ${round} / ${options.samples}`);
      }
    }
    for (const walk of pagingWalks) await deepWalk(walk, options.pages, measure);
    return { kinds, baseline, ...(await heap.stop()) };
  } finally {
    await heap.stop();
    await api.close();
  }
}

/** Follows the cursor up to `pages` times; pages from `deepPageFrom` on count as deep pages. */
async function deepWalk(
  params: QueryParams,
  pages: number,
  measure: (kind: string | null, url: string) => Promise<Record<string, unknown>>,
): Promise<void> {
  let cursor: string | null = null;
  for (let page = 1; page <= pages; page++) {
    const all: QueryParams = cursor === null ? params : [...params, ['cursor', cursor]];
    const body = await measure(
      page >= deepPageFrom ? `deep page (${deepPageFrom}+)` : null,
      `/v1/cases?${queryString(all)}`,
    );
    cursor = typeof body.nextCursor === 'string' ? body.nextCursor : null;
    // A small corpus (BENCH_SCALE < 1) may hold fewer matching cases: the table's n shows it.
    if (cursor === null) return;
  }
}

interface HeapSampler {
  stop(): Promise<{ heapMaxBytes: number; heapPeakBytes: number; loadMean: number; loadMax: number }>;
}

/**
 * Polls the node's JVM heap every second (the peak of a sawtooth: a sample, not an exact maximum),
 * and the machine's load (other users of the shared machine show there).
 */
async function heapSampler(client: SearchClient): Promise<HeapSampler> {
  let heapMaxBytes = 0;
  let heapPeakBytes = 0;
  const loads: number[] = [];
  const sample = async () => {
    loads.push(loadavg()[0]!);
    const stats = await client.nodes.stats({ metric: ['jvm'] });
    for (const node of Object.values(stats.nodes)) {
      heapMaxBytes = Math.max(heapMaxBytes, node.jvm?.mem?.heap_max_in_bytes ?? 0);
      heapPeakBytes = Math.max(heapPeakBytes, node.jvm?.mem?.heap_used_in_bytes ?? 0);
    }
  };
  await sample();
  const timer = setInterval(() => void sample().catch(() => undefined), 1_000);
  return {
    async stop() {
      clearInterval(timer);
      return {
        heapMaxBytes,
        heapPeakBytes,
        loadMean: loads.reduce((sum, load) => sum + load, 0) / loads.length,
        loadMax: Math.max(...loads),
      };
    },
  };
}
