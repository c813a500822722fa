/**
 * Load: the whole system up (every service its own process, as `triage up` runs them), intake
 * driven at a fixed item rate for ten minutes (open loop), and what comes out: searchable items per
 * second, received-to-searchable latency per item, the hasher alone on the same items (the bound),
 * and every process's memory from start to end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { importHashList } from '@triage/hash-lists';
import { fetchKafkaMetadata, stackUp } from '@triage/local-stack';
import {
  allTopics,
  baseClientOptions,
  bootstrapTopics,
  consumerLag,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { createSearchClient, ensureSearchIndices, indexNames, searchIndices } from '@triage/search';
import { formatFixed, formatInt, percentile } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import { type FeedPool, generatePool, type LoadUpload, loadUpload } from './feed-pool.ts';
import { type MemorySample, memoryTrend } from './memory-trend.ts';
import { itemSchedule, runOpenLoop } from './open-loop.ts';
import { SearchableWatch } from './searchable-items.ts';
import { cpuPressure, heapOf, listeningPid, residentOf } from './service-memory.ts';
import {
  type RunningProcess,
  stageLags,
  startStage,
  startWholeSystem,
  type WholeSystemOptions,
} from './whole-system.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const elasticsearchUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
const seed = 15;
const poolReports = 300;
const poolMaxFiles = 30;
/**
 * Items a second offered by default (about 7 uploads a second). The hasher alone manages about
 * 80 items/s on this 2-core machine while it is shared (this suite's bound, December 2026) and about
 * 200 when it is quiet (`pnpm bench pipeline`); the pipeline needs those cores for intake, the other
 * stages, Kafka and Elasticsearch as well, so it sustains well under the hasher's bound: 40 is about
 * half the shared-machine bound, a rate the whole system should carry without a growing backlog.
 */
const defaultRate = 40;
/** The first fifth of the load is warm-up (groups settle, JITs warm): kept out of rates and latencies. */
const warmFraction = 0.2;
/** The hasher alone is measured at most this long (its input holds the whole run's items). */
const soloMaxMs = 120_000;

interface LoadOptions {
  readonly minutes: number;
  readonly itemsPerSecond: number;
}

function numberFlag(flags: readonly string[], name: string): number | undefined {
  const flag = flags.find((candidate) => candidate.startsWith(`--${name}=`));
  if (flag === undefined) return undefined;
  const value = Number(flag.slice(name.length + 3));
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, got ${flag}`);
  return value;
}

/** What one upload came to. */
interface UploadOutcome {
  /** The final answer's status; 0 when the connection kept failing. */
  readonly status: number;
  /** The problem's `code` of a final refusal, or the connection error's (empty on 202). */
  readonly code: string;
  /** Why each earlier attempt was resent (`HTTP 503 TRIAGE_...`, `ECONNRESET`). */
  readonly retries: readonly string[];
  /** ms from the send's start to intake's final answer. */
  readonly answerMs: number;
  readonly upload: LoadUpload;
}

const maxRetries = 20;
/**
 * Uploads in flight at most (intake takes 16 a partner at once here, 48 in all): past that the
 * load generator, one process, would be what is measured (a first run without a cap held 1 600
 * sockets and 2 GB and stalled). Sends past the cap start late, which the lateness row shows.
 */
const maxInFlight = 64;
/** Uploads still refused this long after the load's end give up (and count as failed): the run stays bounded. */
const retryGraceMs = 180_000;
/** The idle system settles this long (start-up garbage collected) before the first memory sample. */
const settleMs = 15_000;

/**
 * One upload as a well-behaved partner sends it (feed's `uploadPackage` policy): a 408, 429 or 503
 * waited out (Retry-After) and a broken connection backed off, then sent again; intake answers a
 * repeat with the original receipt, so a retry never duplicates.
 */
async function send(
  intakeUrl: string,
  apiKey: string,
  upload: LoadUpload,
  giveUpAt: number,
): Promise<UploadOutcome> {
  const started = performance.now();
  const retries: string[] = [];
  const done = (status: number, code: string) => ({
    status,
    code,
    retries,
    answerMs: performance.now() - started,
    upload,
  });
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(new URL('/v1/bundles', intakeUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}` },
        body: await upload.form(),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const code = cause?.code ?? cause?.message ?? String(error);
      if (attempt > maxRetries || performance.now() > giveUpAt) return done(0, code);
      retries.push(code);
      await sleep(Math.min(30, 2 ** attempt) * 1000);
      continue;
    }
    const text = await response.text();
    if (response.status === 202) return done(202, '');
    const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? text.slice(0, 80);
    if (![408, 429, 503].includes(response.status) || attempt > maxRetries || performance.now() > giveUpAt)
      return done(response.status, code);
    retries.push(`HTTP ${response.status} ${code}`);
    const retryAfter = Number(response.headers.get('retry-after') ?? '1');
    await sleep(Math.min(60, Math.max(1, Number.isFinite(retryAfter) ? retryAfter : 1)) * 1000);
  }
}

/** Kafka and Elasticsearch at the configured addresses, started from the local stack when not running. */
async function ensureStack(ctx: SuiteContext): Promise<string> {
  const [host = '127.0.0.1', port = '9092'] = (brokers[0] ?? '').split(':');
  try {
    await fetchKafkaMetadata({ host, port: Number(port) }, [], 2000);
    await fetch(new URL('_cluster/health', elasticsearchUrl), { signal: AbortSignal.timeout(2000) });
    return 'running (shared)';
  } catch {
    ctx.log('Kafka or Elasticsearch not answering: starting the local stack');
    await stackUp({ onProgress: (event) => ctx.log(`stack ${event.server}: ${event.message}`) });
    return 'started by this run (local stack)';
  }
}

function append<T>(lists: Map<string, T[]>, key: string, value: T): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

/**
 * Samples every `everyMs` until stopped: the RSS of each named pid (and its anonymous part), and the JS heap and the state
 * values kept decoded on it of each service with an ops server (keyed `service store`).
 */
function memorySampler(
  pids: ReadonlyMap<string, number>,
  processes: readonly RunningProcess[],
  startedAt: number,
  everyMs: number,
) {
  const samples = new Map<string, MemorySample[]>([...pids.keys()].map((name) => [name, []]));
  const anonymous = new Map<string, MemorySample[]>([...pids.keys()].map((name) => [name, []]));
  const heaps = new Map<string, MemorySample[]>();
  const storeValues = new Map<string, number[]>();
  const take = async () => {
    const atMs = performance.now() - startedAt;
    await Promise.all([
      ...[...pids].map(async ([name, pid]) => {
        const resident = await residentOf(pid);
        if (resident === null) return;
        samples.get(name)!.push({ atMs, bytes: resident.rssBytes });
        anonymous.get(name)!.push({ atMs, bytes: resident.anonBytes });
      }),
      ...processes.map(async ({ name, opsUrl }) => {
        const reading = opsUrl === undefined ? null : await heapOf(opsUrl);
        if (reading === null) return;
        append(heaps, name, { atMs, bytes: reading.heapUsedBytes });
        for (const [store, values] of reading.storeValues) append(storeValues, `${name} ${store}`, values);
      }),
    ]);
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    samples,
    anonymous,
    heaps,
    storeValues,
    take,
    start() {
      timer = setInterval(() => void take(), everyMs);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** Each stage group's records left to read, sampled: the largest seen and the last. */
function lagSampler(processes: readonly RunningProcess[], groupPrefix: string) {
  const largest = new Map<string, number>();
  let last = new Map<string, number>();
  return {
    largest,
    last: () => last,
    async take() {
      const now = new Map<string, number>();
      for (const { opsUrl } of processes) {
        if (opsUrl === undefined) continue;
        for (const [group, lag] of await stageLags(opsUrl, groupPrefix)) now.set(group, lag);
      }
      for (const [group, lag] of now) largest.set(group, Math.max(largest.get(group) ?? 0, lag));
      last = now;
    },
  };
}

/** The hasher alone (its main.ts, fresh groups) over the run's items.v1: items/s while its input was pre-filled. */
async function hasherAlone(
  options: WholeSystemOptions,
  ctx: SuiteContext,
): Promise<{ itemsPerSecond: number; items: number; seconds: number }> {
  const { connection } = options;
  const admin = new Admin(baseClientOptions(connection, 'bench-load-lag'));
  const group = `${options.groupPrefix}hasher-solo`;
  const topic = deployedTopic(connection, pipelineTopics.items.name);
  const position = async () => (await consumerLag(admin, group, topic)).position;
  const hasher = await startStage(options, 'hasher', '-solo');
  try {
    const total = (await consumerLag(admin, group, topic)).retained;
    ctx.log(`hasher alone over ${formatInt(total)} items (at most ${soloMaxMs / 1000} s)`);
    const begun = performance.now();
    let first: { at: number; position: number } | undefined;
    let last = { at: begun, position: 0 };
    while (performance.now() - begun < soloMaxMs) {
      await sleep(1000);
      last = { at: performance.now(), position: await position() };
      // The clock starts at the first committed progress: joining the group is not hashing.
      if (first === undefined && last.position > 0) first = last;
      if (last.position >= total) break;
    }
    if (first === undefined || last.position === first.position)
      throw new Error('the hasher alone made no progress');
    const seconds = (last.at - first.at) / 1000;
    const items = last.position - first.position;
    return { itemsPerSecond: items / seconds, items, seconds };
  } finally {
    await hasher.stop(30_000);
    await admin.close();
  }
}

/** Reasons counted, as ` (n × reason, ...)`; empty for none. */
function countedReasons(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  if (counts.size === 0) return '';
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  return ` (${sorted.map(([reason, n]) => `${formatInt(n)} × ${reason}`).join(', ')})`;
}

const pct = (value: number | null) => (value === null ? 'n/a' : `${formatFixed(value, 0)} %`);
const mib = (bytes: number) => formatInt(bytes / 1024 / 1024);

export const loadSuite: Suite = {
  name: 'load',
  title: 'Load: the whole system at a fixed intake rate, received to searchable, memory over time',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const options: LoadOptions = {
      minutes: numberFlag(ctx.flags, 'minutes') ?? 10,
      itemsPerSecond: numberFlag(ctx.flags, 'rate') ?? defaultRate,
    };
    const durationMs = options.minutes * 60_000;
    const sampleMs = options.minutes >= 5 ? 30_000 : 10_000;
    const stack = await ensureStack(ctx);
    const root = await mkdtemp(path.join(os.tmpdir(), 'bench-load-'));
    const runTag = `L${Date.now().toString(36)}`;
    const connection: KafkaConnection = {
      brokers,
      clientId: 'bench-load',
      topicPrefix: `bench-load-${process.pid}-${runTag.toLowerCase()}.`,
    };
    const prefix = connection.topicPrefix!;
    const search = createSearchClient({ url: elasticsearchUrl });
    try {
      ctx.log(`generating the feed pool: ${poolReports} reports (seed ${seed})`);
      const pool: FeedPool = await generatePool({
        dir: path.join(root, 'feed'),
        seed,
        reports: poolReports,
        maxFiles: poolMaxFiles,
      });
      await bootstrapTopics({ connection, topics: allTopics, replicationFactor: 1 });
      await ensureSearchIndices({ client: search, prefix, replicas: 0 });
      await importHashList({
        file: path.join(pool.dir, 'known-hashes.csv'),
        list: 'bench-load',
        version: runTag,
        connection,
      });
      const systemOptions: WholeSystemOptions = {
        connection,
        elasticsearchUrl,
        root: path.join(root, 'run'),
        groupPrefix: prefix,
        partners: pool.partners,
        log: ctx.log,
      };
      const system = await startWholeSystem(systemOptions);
      const kafkaPid = await listeningPid(Number((brokers[0] ?? '').split(':')[1] ?? 9092));
      const esPid = await listeningPid(Number(new URL(elasticsearchUrl).port || 9200));
      const pids = new Map<string, number>(system.processes.map(({ name, process }) => [name, process.pid]));
      if (kafkaPid !== null) pids.set('Kafka (JVM)', kafkaPid);
      if (esPid !== null) pids.set('Elasticsearch (JVM)', esPid);

      const due = itemSchedule({
        itemsPerUpload: (index) => pool.packages[index % pool.packages.length]!.items,
        itemsPerSecond: options.itemsPerSecond,
        durationMs,
      });
      const watch = new SearchableWatch({
        elasticsearchUrl,
        alias: indexNames(prefix, searchIndices.items).alias,
        pollMs: 250,
      });
      ctx.log(`every service ready; ${settleMs / 1000} s to settle`);
      await sleep(settleMs);
      const loadAtStart = os.loadavg();
      const pressureAtStart = await cpuPressure();
      const startedAt = performance.now();
      const startedEpoch = Date.now();
      const sampler = memorySampler(pids, system.processes, startedAt, sampleMs);
      await sampler.take();
      sampler.start();
      const lags = lagSampler(system.processes, prefix);
      const lagTimer = setInterval(() => void lags.take(), sampleMs);
      ctx.log(
        `load: ${formatInt(due.length)} uploads over ${options.minutes} min at ${options.itemsPerSecond} items/s`,
      );
      const progress = setInterval(
        () =>
          ctx.log(
            `${formatFixed((performance.now() - startedAt) / 60_000, 1)} min: ${formatInt(watch.found.size)} items searchable, ${formatInt(watch.awaited)} reports awaited, load ${os.loadavg()[0]!.toFixed(2)}`,
          ),
        30_000,
      );
      let loop: Awaited<ReturnType<typeof runOpenLoop<UploadOutcome>>>;
      let endSamples: number;
      let drainedMs: number | null = null;
      let sendingMs = durationMs;
      let loadAtEnd: number[];
      let pressureAtEnd: number | null = null;
      let lagsAtEnd = new Map<string, number>();
      try {
        loop = await runOpenLoop(
          due,
          async (index) => {
            const upload = loadUpload(pool, index, runTag);
            const apiKey = system.intake.keys.get(upload.partnerId)!;
            const outcome = await send(
              system.intake.url,
              apiKey,
              upload,
              startedAt + durationMs + retryGraceMs,
            );
            if (outcome.status === 202)
              for (const report of upload.reports) watch.expect(report.reportId, report.items);
            return outcome;
          },
          maxInFlight,
        );
        const sendingEndedAt = performance.now();
        sendingMs = sendingEndedAt - startedAt;
        loadAtEnd = os.loadavg();
        pressureAtEnd = await cpuPressure();
        await lags.take();
        lagsAtEnd = lags.last();
        await sampler.take();
        endSamples = Math.min(...[...sampler.samples.values()].map((list) => list.length));
        ctx.log(`sending done after ${formatFixed((sendingEndedAt - startedAt) / 1000, 1)} s; draining`);
        const drainLimit = Math.max(120_000, durationMs / 2);
        while (watch.awaited > 0 && performance.now() - sendingEndedAt < drainLimit) await sleep(500);
        if (watch.awaited === 0) drainedMs = performance.now() - sendingEndedAt;
        await sampler.take();
      } finally {
        clearInterval(progress);
        clearInterval(lagTimer);
        sampler.stop();
        await watch.stop();
        await system.stop();
      }
      const solo = await hasherAlone(systemOptions, ctx);

      // Figures.
      const outcomes = loop.outcomes;
      const accepted = outcomes.filter((o): o is UploadOutcome => !(o instanceof Error) && o.status === 202);
      const failed = outcomes.length - accepted.length;
      const failures = countedReasons(
        outcomes
          .filter((o) => o instanceof Error || o.status !== 202)
          .map((o) => (o instanceof Error ? o.message : `HTTP ${o.status} ${o.code}`)),
      );
      const retryReasons = countedReasons(outcomes.flatMap((o) => (o instanceof Error ? [] : o.retries)));
      const retried = accepted.filter((o) => o.retries.length > 0).length;
      const itemsAccepted = accepted.reduce((sum, o) => sum + o.upload.items, 0);
      const found = [...watch.found.values()];
      const warmEpoch = startedEpoch + durationMs * warmFraction;
      // The end of sending, which is later than scheduled when sends started late.
      const endEpoch = startedEpoch + Math.max(durationMs, sendingMs);
      const steadyItems = found.filter(
        (item) => item.searchableAt >= warmEpoch && item.searchableAt < endEpoch,
      ).length;
      const steadyRate = steadyItems / ((endEpoch - warmEpoch) / 1000);
      const latencies = found
        .filter((item) => item.receivedAt >= warmEpoch)
        .map((item) => item.searchableAt - item.receivedAt);
      const allLatencies = found.map((item) => item.searchableAt - item.receivedAt);
      const answerMs = accepted.map((o) => o.answerMs);
      const lateMs = loop.lateMs;
      const ms = (value: number) => formatInt(value);
      const lat = (values: number[]) =>
        values.length === 0
          ? '– | – | – | –'
          : `${ms(percentile(values, 0.5))} | ${ms(percentile(values, 0.95))} | ${ms(percentile(values, 0.99))} | ${ms(Math.max(...values))}`;
      const trendRow = (name: string, samples: readonly MemorySample[]) => {
        const trend = memoryTrend(samples.slice(0, endSamples));
        const afterDrain = samples.at(-1)!.bytes;
        return `| ${name} | ${mib(trend.startBytes)} | ${mib(trend.endBytes)} | ${mib(trend.peakBytes)} | ${mib(afterDrain)} | ${formatFixed(trend.firstHalfSlope / 1024 / 1024, 1)} | ${formatFixed(trend.lastQuarterSlope / 1024 / 1024, 1)} | ${trend.verdict} |`;
      };
      const memoryRows = [...sampler.samples].map(([name, samples]) => trendRow(name, samples));
      const anonymousRows = [...sampler.anonymous].map(([name, samples]) => trendRow(name, samples));
      const heapRows = [...sampler.heaps].map(([name, samples]) => trendRow(name, samples));
      const storeRows = [...sampler.storeValues].map(([key, values]) => {
        const atMinute = (minute: number) =>
          formatInt(values[Math.min(values.length - 1, Math.round((minute * 60_000) / sampleMs))] ?? 0);
        const marks = [0.25, 0.5, 0.75, 1].map((share) => atMinute(options.minutes * share));
        return `| ${key} | ${formatInt(values[0] ?? 0)} | ${marks.join(' | ')} |`;
      });
      const gaps = watch.pollGapsMs;
      const lagRows = [...lags.largest].map(
        ([group, largest]) =>
          `| ${group} | ${formatInt(largest)} | ${formatInt(lagsAtEnd.get(group) ?? 0)} |`,
      );
      const minutesLabel = `${options.minutes} min`;
      const markdown = [
        `${minutesLabel} at **${options.itemsPerSecond} items/s** offered (${formatInt(due.length)} uploads, one report each, open loop),`,
        `whole system up: intake, splitter, hasher, enricher, scorer, indexer, hoster monitor and the triage API, each its own`,
        `\`main.ts\` process as \`triage up\` starts them. Load average ${loadAtStart.map((v) => v.toFixed(2)).join(' ')} at the start,`,
        `${loadAtEnd.map((v) => v.toFixed(2)).join(' ')} at the end of sending (the 2 cores are shared); CPU pressure (PSI \`some avg60\`,`,
        `the share of the last minute in which runnable work waited for a core) ${pct(pressureAtStart)} at the start, ${pct(pressureAtEnd)} at the end.`,
        '',
        '| Figure | Value |',
        '| --- | ---: |',
        `| Uploads accepted (202) / failed | ${formatInt(accepted.length)} / ${formatInt(failed)}${failures} |`,
        `| Accepted uploads sent more than once | ${formatInt(retried)}${retryReasons} |`,
        `| Items accepted / searchable / never searchable | ${formatInt(itemsAccepted)} / ${formatInt(found.length)} / ${formatInt(Math.max(0, itemsAccepted - found.length))} |`,
        `| **Searchable items/s, steady part** (after the first ${warmFraction * 100} %) | **${formatFixed(steadyRate, 1)}** |`,
        `| **Hasher alone** (bound): items/s with its input pre-filled, ${formatInt(solo.items)} items in ${formatFixed(solo.seconds, 1)} s | **${formatFixed(solo.itemsPerSecond, 1)}** |`,
        `| Pipeline's share of the bound (steady items/s ÷ hasher alone) | **${formatFixed((steadyRate / solo.itemsPerSecond) * 100, 0)} %** |`,
        `| Offered rate's share of the bound | ${formatFixed((options.itemsPerSecond / solo.itemsPerSecond) * 100, 0)} % |`,
        `| Backlog drained after sending stopped | ${drainedMs === null ? 'no (timed out)' : `${formatFixed(drainedMs / 1000, 1)} s`} |`,
        '',
        '| Latency, ms | p50 | p95 | p99 | max |',
        '| --- | ---: | ---: | ---: | ---: |',
        `| **Received to searchable**, per item, after warm-up (${formatInt(latencies.length)} items) | ${lat(latencies)} |`,
        `| Received to searchable, every item (${formatInt(allLatencies.length)}) | ${lat(allLatencies)} |`,
        `| Upload answer (send start to 202, retries included) | ${lat(answerMs)} |`,
        `| Send started late (vs its schedule) | ${lat(lateMs)} |`,
        `| Search round (resolution of "searchable") | ${lat(gaps)} |`,
        '',
        `Records left to read per consumer group (each stage's \`triage_stage_consumer_lag_records\`, sampled every ${sampleMs / 1000} s):`,
        'the stage that falls behind is the bottleneck.',
        '',
        '| Group | Most left | Left at the end of sending |',
        '| --- | ---: | ---: |',
        ...lagRows,
        '',
        `Memory (RSS, MiB): sampled every ${sampleMs / 1000} s from the start of the load to the end of sending; the verdict`,
        'compares the slope of the last quarter of the samples with the first half (`flat`: under 2 MiB/min; `levels off`:',
        'at most a quarter of the first half\'s slope; else `still growing`). "After drain" is once the backlog was searchable.',
        '',
        '| Process | Start | End | Peak | After drain | First half MiB/min | Last quarter MiB/min | Growth |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
        ...memoryRows,
        '',
        'Anonymous resident memory (MiB, `RssAnon`: RSS without file pages, so without the memory-mapped LMDB stores, which the',
        'kernel takes back under pressure; same samples and verdict):',
        '',
        '| Process | Start | End | Peak | After drain | First half MiB/min | Last quarter MiB/min | Growth |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
        ...anonymousRows,
        '',
        "JS heap in use (MiB, each Node service's `nodejs_heap_size_used_bytes` from its `/metrics`, same samples and verdict):",
        'RSS also counts memory-mapped LMDB pages and native buffers (sharp, sockets), which the heap does not.',
        '',
        '| Process | Start | End | Peak | After drain | First half MiB/min | Last quarter MiB/min | Growth |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
        ...heapRows,
        '',
        'State values kept decoded on the heap, per store (`triage_state_store_heap_values`): a store on disk keeps a cache of at most its',
        '`*_STATE_CACHE_ENTRIES` (default 50 000 in the scorer) plus the writes not yet acknowledged, so its part of the heap stops growing once the cache is full.',
        '',
        `| Service and store | Start | ${[0.25, 0.5, 0.75, 1].map((share) => `${formatFixed(options.minutes * share, 1)} min`).join(' | ')} |`,
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        ...storeRows,
        '',
        '**Method.** A generated feed (seed 15, JSON packages, one report a package, at most',
        `${poolMaxFiles} files a report: ${formatInt(pool.packages.length)} reports, ${formatInt(pool.files)} files) is the pool; upload *n* sends pool package`,
        '*n* mod its size under a bundle reference and partner report ids of its own, so every upload is a new report',
        'with the same synthetic images (the hasher hashes every item; it keeps no cache by content). Each upload is due',
        'when the items sent before it reach the offered rate and starts then, whatever the earlier ones did (open loop;',
        `at most ${maxInFlight} in flight, past which a send starts late and the lateness row shows it);`,
        "a 408/429/503 is waited out (Retry-After) and a broken connection backed off and resent, as `uploadPackage` does, and counted. *Received* is intake's receipt time, the",
        "item document's `receivedAt`; *searchable* is when a search of the items alias first returns the item (the",
        'middle of that search; searches run back to back, at most every 250 ms, for the reports still awaited), so the',
        'latency includes the index refresh as a reader sees it. The bound is a fresh hasher process (its own groups,',
        `${soloMaxMs / 1000} s at most) over the \`items.v1\` the run wrote, after every other service stopped: items/s from`,
        'its first committed offset to its last. Topics, indices and groups under a prefix of the run, removed afterwards.',
      ].join('\n');
      return {
        markdown,
        facts: [
          {
            name: 'Stack',
            value: `Kafka ${brokers.join(',')} (RF 1), Elasticsearch ${elasticsearchUrl}: ${stack}`,
          },
          {
            name: 'Load',
            value: `${options.minutes} min at ${options.itemsPerSecond} items/s (\`--minutes=${options.minutes} --rate=${options.itemsPerSecond}\`)`,
          },
        ],
      };
    } finally {
      await deletePrefixedTopics(connection, 'bench-load-cleanup').catch(() => undefined);
      await search.indices
        .delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true })
        .catch(() => undefined);
      await search.indices.deleteIndexTemplate({ name: `${prefix}*` }).catch(() => undefined);
      await search.close();
      await rm(root, { recursive: true, force: true });
    }
  },
};
