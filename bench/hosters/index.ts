import { NetworkEnricher } from '@triage/enrichment';
import {
  applyCaseChange,
  caseChangeOf,
  computeFigures,
  type FiguresWindow,
  hosterTrend,
  type NoticeCase,
  overdueItems,
  type Reappearance,
  rankHosters,
  removalDistribution,
} from '@triage/hoster-figures';
import { attributeWith, createHosterMonitorService } from '@triage/hoster-monitor/service';
import { createLogger } from '@triage/logging';
import {
  bootstrapTopics,
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { createCodec, type TakedownEvent } from '@triage/schemas';
import { createSearchClient, indexPrefix } from '@triage/search';
import { deletePrefixedIndices } from '@triage/search/testing/fixtures';
import { startTestApi } from '@triage/triage-api/testing';
import { formatFixed, formatInt, formatRatio, median, percentile } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import { generateYear } from './generate-year.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const elasticsearchUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
const codec = createCodec();
const logger = createLogger({ name: 'bench-hosters', level: 'warn' });
const seed = 12;
const from = Date.UTC(2025, 0, 1);

const ms = (value: number) => formatFixed(value, value < 10 ? 2 : 0);
const time = async <T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
};

interface Folded {
  cases: Map<string, NoticeCase>;
  reappearances: Map<string, Reappearance>;
}

/** The baseline: every event folded in process (the stage's decisions, no Kafka, no Elasticsearch). */
function foldInProcess(
  events: readonly TakedownEvent[],
  attribute: ReturnType<typeof attributeWith>,
): Folded {
  const folded: Folded = { cases: new Map(), reappearances: new Map() };
  for (const event of events) {
    const change = caseChangeOf(event, attribute);
    if (change === null) continue;
    if (change.kind === 'reappearance') folded.reappearances.set(change.key, change.reappearance);
    else folded.cases.set(change.key, applyCaseChange(folded.cases.get(change.key), change.fields));
  }
  return folded;
}

/** The hoster page computed in process: what the API's page does, without HTTP, audit or catch-up. */
function pageInProcess(folded: Folded, asn: number, window: FiguresWindow) {
  const cases = [...folded.cases.values()].filter((item) => item.asn === asn);
  const reappearances = [...folded.reappearances.values()].filter((item) => item.asn === asn);
  const all = computeFigures({
    cases: folded.cases.values(),
    reappearances: folded.reappearances.values(),
    window,
  });
  return {
    all,
    trend: hosterTrend(asn, cases, reappearances, window),
    distribution: removalDistribution(cases, window),
    overdue: overdueItems(cases, window.asOf),
  };
}

async function produceAll(connection: KafkaConnection, events: readonly TakedownEvent[]): Promise<void> {
  const producer = createRecordProducer(connection, 'bench-hosters');
  const topic = deployedTopic(connection, pipelineTopics.takedowns.name);
  try {
    for (let start = 0; start < events.length; start += 5_000) {
      await producer.send(
        events
          .slice(start, start + 5_000)
          .map((event) => ({ topic, key: event.url, value: codec.encode('TakedownEvent', event) })),
      );
    }
  } finally {
    await producer.close();
  }
}

/** JSON with every object's keys sorted: the API serialises in its schema's order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('bench hosters: timed out waiting for the stage');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The hoster figures on a generated year (docs/adr/0017-hoster-figures-stage.md): the stage
 * folding every event into Elasticsearch from a cold start and per event, and the API's ranking
 * and hoster page, against the bare in-process fold and computation of the same figures.
 */
export const hostersSuite: Suite = {
  name: 'hosters',
  title: 'Hoster figures: a year of takedown events (~200k notices), the stage and the API',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const notices = Math.max(2_000, Math.round(200_000 * ctx.scale));
    // Each sample is a pass over every case: 30 in-process rankings, 60 in-process hoster pages and
    // 60 of each through the API keep a full run within minutes on a shared 2-core machine (p95 of
    // 60 is the 3rd slowest).
    const inProcessSamples = 30;
    const samples = 60;
    const incremental = 20;
    ctx.log(`generating a year of ${notices} notices`);
    const year = generateYear({ notices, seed, from });
    const window: FiguresWindow = { from: year.from, to: year.to, asOf: year.to };
    const query = `from=${new Date(window.from).toISOString()}&to=${new Date(window.to).toISOString()}&asOf=${new Date(window.asOf).toISOString()}`;

    const enricher = await NetworkEnricher.open({ reloadIntervalMs: 0 });
    const attribute = attributeWith(enricher);
    ctx.log('baseline: fold and compute in process');
    const fold = await time(() => foldInProcess(year.events, attribute));
    const folded = fold.value;
    const computeRuns: number[] = [];
    for (let run = 0; run < inProcessSamples; run++) {
      computeRuns.push(
        (
          await time(() =>
            computeFigures({
              cases: folded.cases.values(),
              reappearances: folded.reappearances.values(),
              window,
            }),
          )
        ).ms,
      );
    }
    const baseline = computeFigures({
      cases: folded.cases.values(),
      reappearances: folded.reappearances.values(),
      window,
    });
    const baselineNotices = baseline.hosters.reduce((sum, row) => sum + row.notices, 0);
    const biggest = [...baseline.hosters].sort((a, b) => b.notices - a.notices)[0]!;
    const pageRuns: number[] = [];
    for (let run = 0; run < samples; run++)
      pageRuns.push((await time(() => pageInProcess(folded, biggest.asn, window))).ms);

    const run = Date.now().toString(36);
    const connection: KafkaConnection = {
      brokers,
      clientId: 'bench-hosters',
      topicPrefix: `bench-hosters-${run}.`,
    };
    const client = createSearchClient({ url: elasticsearchUrl });
    const prefix = indexPrefix(connection.topicPrefix ?? '');
    try {
      await bootstrapTopics({
        connection,
        topics: [pipelineTopics.takedowns, pipelineTopics.audit, pipelineTopics.triageActions],
        replicationFactor: 1,
      });
      ctx.log(`producing ${year.events.length} events`);
      await produceAll(connection, year.events);

      ctx.log('stage: cold start over the year');
      const service = createHosterMonitorService({
        connection,
        codec,
        logger,
        client,
        enricher,
        groupId: 'hoster-monitor',
        replicas: 0,
      });
      const cold = await time(async () => {
        await service.start();
        await until(() => service.metrics().consumed >= year.events.length, 30 * 60_000);
      });

      const api = await startTestApi({ connection, search: { client, prefix } });
      // A token per request, signed before the clock starts: the harness's tokens live 5 minutes.
      const get = async (url: string) => {
        const authorization = await api.bearer('supervisor', 'bench-supervisor');
        const started = performance.now();
        const response = await api.app.inject({ method: 'GET', url, headers: { authorization } });
        const took = performance.now() - started;
        if (response.statusCode !== 200)
          throw new Error(`bench hosters: ${url} answered ${response.statusCode}`);
        return { value: response, ms: took };
      };
      try {
        ctx.log('API: first ranking (loads every case document)');
        const first = await get(`/v1/hosters?${query}`);
        const ranked = first.value.json() as { hosters: unknown[] };
        // Exact at scale: the API's ranking is the in-process one, number for number.
        if (canonical(ranked.hosters) !== canonical(rankHosters(baseline.hosters))) {
          throw new Error('bench hosters: the API ranking differs from the in-process figures');
        }
        ctx.log(`API: ${samples} rankings and ${samples} hoster pages`);
        const rankingRuns: number[] = [];
        const hosterRuns: number[] = [];
        for (let sample = 0; sample < samples; sample++) {
          rankingRuns.push((await get(`/v1/hosters?${query}`)).ms);
          hosterRuns.push((await get(`/v1/hosters/${biggest.asn}?${query}`)).ms);
        }

        ctx.log(`incremental: ${incremental} new notices, one at a time`);
        const stageLatency: number[] = [];
        const catchUp: number[] = [];
        const foldOne: number[] = [];
        const producer = createRecordProducer(connection, 'bench-hosters-one');
        const topic = deployedTopic(connection, pipelineTopics.takedowns.name);
        try {
          for (let n = 0; n < incremental; n++) {
            const at = year.to - 1;
            const event: TakedownEvent = {
              ...year.events.find((item) => item.type === 'notice_sent')!,
              eventId: `late-${n}`,
              noticeId: `LATE-${n}`,
              url: `https://late${n}.example.invalid/f`,
              host: `late${n}.example.invalid`,
              at,
              receivedAt: at,
            };
            foldOne.push((await time(() => foldInProcess([event], attribute))).ms);
            const before = service.metrics().consumed;
            const started = performance.now();
            await producer.send([{ topic, key: event.url, value: codec.encode('TakedownEvent', event) }]);
            await until(() => service.metrics().consumed > before, 60_000);
            stageLatency.push(performance.now() - started);
            // The API catches up once its held documents are older than TRIAGE_API_HOSTER_REFRESH_MS (1 s).
            await new Promise((resolve) => setTimeout(resolve, 1_100));
            const answer = await get(`/v1/hosters?${query}`);
            catchUp.push(answer.ms);
            const total = (answer.value.json() as { hosters: { notices: number }[] }).hosters.reduce(
              (sum, row) => sum + row.notices,
              0,
            );
            if (total !== baselineNotices + n + 1)
              throw new Error(`bench hosters: ${total} notices after ${n + 1} late ones`);
          }
        } finally {
          await producer.close();
        }

        const p = (values: number[], q: number) => ms(percentile(values, q));
        const markdown = [
          `A generated year (seed ${seed}, \`bench/hosters/generate-year.ts\`): ${formatInt(notices)} notices at the feed's`,
          `${new Set(baseline.hosters.map((row) => row.asn)).size} hosting ASNs, ${formatInt(year.events.length)} events`,
          `(${formatInt(folded.reappearances.size)} reappearances), figures for the whole year as of its end.`,
          'Baseline: the same events folded and the same figures computed in process (`@triage/hoster-figures`,',
          'no Kafka, no Elasticsearch, no HTTP). The API\u2019s ranking was checked equal to the baseline\u2019s,',
          'number for number, before timing.',
          '',
          '| From a cold start | Time | Baseline (in process) | Ratio |',
          '| --- | ---: | ---: | ---: |',
          `| fold every event (stage: consume, attribute, bulk to Elasticsearch, commit) | ${formatFixed(cold.ms / 1000, 1)} s | ${formatFixed(fold.ms / 1000, 2)} s | ${formatRatio(cold.ms, fold.ms)} |`,
          `| first ranking (API loads ${formatInt(folded.cases.size)} case documents, computes, audits) | ${ms(first.ms)} ms | ${ms(median(computeRuns))} ms | ${formatRatio(first.ms, median(computeRuns))} |`,
          '',
          `| Per event (${incremental} new notices) | p50 | p95 | Baseline p50 (fold one event in process) |`,
          '| --- | ---: | ---: | ---: |',
          `| produce \u2192 stage wrote the case (batch of one) | ${p(stageLatency, 0.5)} ms | ${p(stageLatency, 0.95)} ms | ${formatFixed(percentile(foldOne, 0.5), 3)} ms |`,
          `| next ranking (catch-up read by \`_seq_no\` + compute + audit) | ${p(catchUp, 0.5)} ms | ${p(catchUp, 0.95)} ms | ${ms(median(computeRuns))} ms (compute) |`,
          '',
          `| API on the year (${samples} requests each, one at a time, audited acks=all) | p50 | p95 | Baseline p95 (in process) | p95 ratio |`,
          '| --- | ---: | ---: | ---: | ---: |',
          `| \`GET /v1/hosters\` (ranking) | ${p(rankingRuns, 0.5)} ms | ${p(rankingRuns, 0.95)} ms | ${p(computeRuns, 0.95)} ms | ${formatRatio(percentile(rankingRuns, 0.95), percentile(computeRuns, 0.95))} |`,
          `| \`GET /v1/hosters/${biggest.asn}\` (largest hoster: figures, trend, distribution, overdue list) | ${p(hosterRuns, 0.5)} ms | ${p(hosterRuns, 0.95)} ms | ${p(pageRuns, 0.95)} ms | ${formatRatio(percentile(hosterRuns, 0.95), percentile(pageRuns, 0.95))} |`,
        ].join('\n');
        return {
          markdown,
          facts: [
            { name: 'Kafka', value: `${brokers.join(',')}, takedowns.v1 3 partitions, RF 1` },
            { name: 'Elasticsearch', value: `${elasticsearchUrl}, hoster indices 1 shard, 0 replicas` },
          ],
        };
      } finally {
        await api.close();
        await service.stop();
      }
    } finally {
      await enricher.close();
      await deletePrefixedIndices(client, prefix).catch(() => undefined);
      await client.close();
      await deletePrefixedTopics(connection, 'bench-hosters-cleanup').catch(() => undefined);
    }
  },
};
