import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bootstrapTopics, type KafkaConnection } from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { runChildJob } from '../lib/child-job.ts';
import type { Memory } from '../lib/process-memory.ts';
import { formatInt, formatRatio } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import { ncmecYear, reportCountOf, reportsPerDay } from './simulated-year.ts';
import {
  type DedupeResult,
  type Layout,
  type LoadResult,
  layoutTopics,
  type MediaIndexResult,
  type RestoreHow,
  type RestoreResult,
  type ScorerResult,
  type ServiceRun,
  type StateJob,
} from './worker.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const workerPath = path.join(import.meta.dirname, 'worker.ts');

function runJob<T>(job: StateJob, label: string): Promise<T> {
  return runChildJob<T>(workerPath, job, {
    label: `state ${label}`,
    timeoutMs: 3_600_000,
    execArgv: ['--expose-gc', '--max-old-space-size=8192'],
  });
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${formatInt(Math.round(bytes / MiB))} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
/** Per million of `count`, in MiB (or GiB when large). */
const perMillion = (bytes: number, count: number) => {
  const value = (bytes * 1_000_000) / count;
  return value >= 10 * 1024 * MiB ? `${(value / 1024 / MiB).toFixed(1)} GiB` : mib(value);
};
const heapGrowth = (memory: { before: Memory; after: Memory }) =>
  Math.max(0, memory.after.heapBytes - memory.before.heapBytes);

/** The per-report (scorer) and per-sighting (dedupe) store layouts, the unit each is counted in. */
const unitOf: Record<Layout, 'reports' | 'sightings'> = { scorer: 'reports', dedupe: 'sightings' };

/** What a history of one size gave: the load on disk and the three restores. */
interface History {
  readonly days: number;
  readonly layout: Layout;
  readonly load: LoadResult;
  readonly restores: Record<RestoreHow, RestoreResult>;
}

/** The count a layout is measured per: reports for the scorer, sightings (files) for dedupe. */
function unitCount(history: History): number {
  return history.layout === 'scorer' ? history.load.reports : history.load.files;
}

async function measureHistory(
  ctx: SuiteContext,
  options: { days: number; layout: Layout; run: string; cacheEntries: number; tail: number },
): Promise<History> {
  const topicPrefix = `bench-state-${options.run}-${options.layout}-${options.days}.`;
  const connection: KafkaConnection = { brokers, clientId: 'bench-state', topicPrefix };
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-state-'));
  const common = { brokers, topicPrefix, layout: options.layout, dir, cacheEntries: options.cacheEntries };
  const label = `${options.layout} ${options.days} d`;
  try {
    await bootstrapTopics({ connection, topics: layoutTopics[options.layout], replicationFactor: 1 });
    ctx.log(`${label}: load (${formatInt(reportCountOf(options.days))} reports) through the disk store`);
    const load = await runJob<LoadResult>({ ...common, kind: 'load', days: options.days }, `${label} load`);
    const restores = {} as Record<RestoreHow, RestoreResult>;
    // The checkpoint first: the lost-store restore removes the folder it resumes from.
    for (const how of ['checkpoint', 'lost', 'memory'] as const) {
      ctx.log(`${label}: restore (${how})`);
      restores[how] = await runJob<RestoreResult>(
        { ...common, kind: 'restore', how, tail: options.tail },
        `${label} restore ${how}`,
      );
    }
    return { days: options.days, layout: options.layout, load, restores };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await deletePrefixedTopics(connection, 'bench-state-cleanup').catch((error: unknown) =>
      ctx.log(`cleanup: ${String(error)}`),
    );
  }
}

/** One row of a stage's throughput: the service with its state in memory or on disk. */
interface ServiceRow<R> {
  readonly label: string;
  readonly result: R;
}

interface ServiceOptions {
  readonly days: number;
  readonly run: string;
  readonly label: string;
  readonly disk: boolean;
  readonly cacheEntries: number;
}

async function measureService<R>(
  ctx: SuiteContext,
  kind: 'scorer' | 'dedupe',
  options: ServiceOptions,
): Promise<ServiceRow<R>> {
  const dir = await mkdtemp(path.join(tmpdir(), `bench-state-${kind}-`));
  try {
    ctx.log(`${kind} throughput: ${options.label}`);
    const result = await runJob<R>(
      {
        kind,
        brokers,
        topicPrefix: `bench-state-${options.run}-${kind}-${options.disk ? `disk${options.cacheEntries}` : 'memory'}.`,
        days: options.days,
        stateDir: options.disk ? dir : null,
        cacheEntries: options.cacheEntries,
      },
      `${kind} ${options.label}`,
    );
    return { label: options.label, result };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function historyRows(histories: readonly History[]): string[] {
  return histories.map((history) => {
    const count = unitCount(history);
    const memoryHeap = heapGrowth(history.restores.memory);
    const diskHeap = heapGrowth(history.load);
    return [
      `| ${history.layout} | ${formatInt(count)} ${unitOf[history.layout]}`,
      `(${history.days} d: ${formatInt(history.load.reports)} reports, ${formatInt(history.load.files)} files)`,
      `| ${mib(memoryHeap)} | ${mib(history.restores.memory.after.rssBytes)}`,
      `| ${mib(diskHeap)} | ${mib(history.load.after.rssBytes)} | ${mib(history.load.after.anonBytes)}`,
      `| ${mib(history.load.diskBytes)} | ${mib(history.load.changelogBytes)} |`,
    ].join(' ');
  });
}

/**
 * Per million: heap, disk and changelog from the slope between the two history sizes (what the
 * larger one added over what it added, so fixed costs drop out); restore times from the larger
 * history alone, fixed costs included (an upper bound: the slope of times this short is noise).
 */
function perMillionRows(histories: readonly History[]): string[] {
  return (['scorer', 'dedupe'] as const).map((layout) => {
    const [small, large] = histories.filter((history) => history.layout === layout) as [History, History];
    const added = unitCount(large) - unitCount(small);
    const bytes = (of: (history: History) => number) => perMillion(of(large) - of(small), added);
    const records = ((large.load.changelogRecords - small.load.changelogRecords) * 1_000_000) / added;
    const restore = (ms: number) =>
      `${seconds((ms * 1_000_000) / unitCount(large))} (${formatInt(large.load.changelogRecords / (ms / 1000))} records/s)`;
    return [
      `| per million ${unitOf[layout]} (${layout})`,
      `| ${bytes((history) => heapGrowth(history.restores.memory))}`,
      `| ${bytes((history) => history.load.diskBytes)}`,
      `| ${bytes((history) => history.load.changelogBytes)}`,
      `| ${formatInt(records)}`,
      `| ${restore(large.restores.lost.ms)}`,
      `| ${restore(large.restores.memory.ms)} |`,
    ].join(' ');
  });
}

function restoreRows(histories: readonly History[]): string[] {
  return histories.map((history) => {
    const { checkpoint, lost, memory } = history.restores;
    return `| ${history.layout} | ${formatInt(unitCount(history))} ${unitOf[history.layout]} | ${formatInt(history.load.changelogRecords)} | ${seconds(checkpoint.cleanMs!)} (${formatInt(checkpoint.cleanRecordsRead!)}) | ${seconds(checkpoint.ms)} (${formatInt(checkpoint.recordsRead)}) | ${seconds(lost.ms)} (${formatInt(lost.recordsRead)}) | ${seconds(memory.ms)} | ${formatRatio(memory.ms / 1000, checkpoint.ms / 1000)} |`;
  });
}

/** A service row's common cells: time against the baseline's, memory and disk. */
function serviceCells(result: ServiceRun & { diskBytes?: number }, baseline: ServiceRun): string {
  return `${(result.steadySeconds / baseline.steadySeconds).toFixed(2)}× | ${mib(heapGrowth(result))} | ${mib(result.after.rssBytes)} | ${result.diskBytes === undefined ? '-' : mib(result.diskBytes)}`;
}

function dedupeRows(runs: readonly ServiceRow<DedupeResult>[]): string[] {
  const baseline = runs[0]!.result;
  return runs.map(({ label, result }) => {
    const keys = Object.values(result.keys).reduce((total, count) => total + count, 0);
    return `| ${label} | ${formatInt(result.sightings / result.steadySeconds)} | ${formatInt(result.sightings / result.seconds)} | ${serviceCells(result, baseline)} | ${formatInt(keys)} |`;
  });
}

function scorerRows(runs: readonly ServiceRow<ScorerResult>[]): string[] {
  const baseline = runs[0]!.result;
  return runs.map(
    ({ label, result }) =>
      `| ${label} | ${formatInt(result.reports / result.steadySeconds)} | ${formatInt(result.items / result.steadySeconds)} | ${formatInt(result.reports / result.seconds)} | ${serviceCells(result, baseline)} |`,
  );
}

/** `--days=<n>`: the larger history in days of the simulated year (the smaller is a fifth of it). */
function daysFlag(flags: readonly string[]): number | undefined {
  const flag = flags.find((candidate) => candidate.startsWith('--days='));
  if (flag === undefined) return undefined;
  const days = Number(flag.slice('--days='.length));
  if (!Number.isFinite(days) || days <= 0) throw new Error(`--days must be a positive number, got "${flag}"`);
  return days;
}

/**
 * The stages' keyed state on disk (DiskKeyedStateStore) against the in-memory store, on real
 * changelogs: heap and disk per million reports and sightings as history grows, restores from the
 * checkpoint, after a lost store and in memory, and the scorer's and dedupe's throughput.
 */
export const stateSuite: Suite = {
  name: 'state',
  title: 'State on disk: keyed stores vs in memory (heap, disk, restore, throughput)',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const run = `${process.pid}-${Date.now().toString(36)}`;
    // Five times the history: the heap of the disk store stays flat, the in-memory one grows.
    const largest = daysFlag(ctx.flags) ?? 0.15 * ctx.scale;
    const sizes = [largest / 5, largest].map((days) => Number(days.toFixed(4)));
    // Below the smaller history's keys in every store, so both sizes run with a full cache.
    const cacheEntries = 2_000;
    const tail = 2_000;
    const histories: History[] = [];
    for (const layout of ['scorer', 'dedupe'] as const) {
      for (const days of sizes)
        histories.push(await measureHistory(ctx, { days, layout, run, cacheEntries, tail }));
    }
    const serviceDays = Number(((largest * 8) / 15).toFixed(4));
    const scorerRuns: ServiceRow<ScorerResult>[] = [];
    for (const options of [
      { label: 'in memory (baseline)', disk: false, cacheEntries: 0 },
      { label: 'on disk, cache 50 000 (the default)', disk: true, cacheEntries: 50_000 },
      { label: 'on disk, cache 1 000', disk: true, cacheEntries: 1_000 },
    ]) {
      scorerRuns.push(
        await measureService<ScorerResult>(ctx, 'scorer', { ...options, days: serviceDays, run }),
      );
    }
    const dedupeRuns: ServiceRow<DedupeResult>[] = [];
    for (const options of [
      { label: 'in memory (baseline)', disk: false, cacheEntries: 0 },
      { label: 'on disk, cache 100 000 (the default)', disk: true, cacheEntries: 100_000 },
      { label: 'on disk, cache 1 000', disk: true, cacheEntries: 1_000 },
    ]) {
      dedupeRuns.push(
        await measureService<DedupeResult>(ctx, 'dedupe', { ...options, days: serviceDays, run }),
      );
    }

    const images = Math.max(50_000, Math.round(500_000 * ctx.scale));
    ctx.log(`media index: ${formatInt(images)} images`);
    const mediaIndex = await runJob<MediaIndexResult>({ kind: 'media-index', images }, 'media index');

    const markdown = [
      '**Workload: a simulated NCMEC year, truncated.** `bench/state/simulated-year.ts` plans the year',
      `(${formatInt(ncmecYear.reports)} reports, ${formatInt(ncmecYear.files)} files: ${formatInt(reportsPerDay)} reports a day, 2.94 files`,
      'a report from 0 to 27; half the files are sightings of an earlier file, skewed towards the first',
      'ones) and the bench takes its first days: their key distribution and record sizes are the',
      "year's, so per-million figures extrapolate linearly. Items are the scorer's fixtures with a file name,",
      'a URL, 0-16 EXIF pairs and, for images (80%), PDQ and its 8 dihedral variants: 0.4-1.6 KB Avro, 1.2 KB',
      'on average; a report about 0.25 KB.',
      '',
      `**History** (sizes ${sizes.map((days) => `${days} d`).join(' and ')}: five times the history). Each size is written through`,
      "a stage's stores on disk (`createKeyedStore({dir})`, LMDB per partition, cache of",
      `${formatInt(cacheEntries)} decoded values per store) the way the runner drives them: writes of about 1 000`,
      'records sent to the real changelog topics (acks=all), then `acknowledged()`, which writes them to disk',
      'with the checkpoint. The scorer layout keeps each report and its items (grouped by report); the',
      'dedupe layout a summary per file and a sighting per file and report (`recordSighting`). Memory',
      'after a full GC in a child process of its own (`--expose-gc`); heap is the growth over the empty',
      'stores. The in-memory store (`createKeyedStore({dir: null})`, the baseline) is measured after its',
      'restore of the same changelogs: what it holds is the history.',
      '',
      '| Layout | History | in memory: heap | in memory: RSS | on disk: heap | on disk: RSS | on disk: RssAnon | on disk: disk (du) | changelog bytes |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...historyRows(histories),
      '',
      'Per million: heap, disk and changelog from the slope between the two sizes (what the larger history',
      'added over the smaller, so fixed costs drop out); full restores from the larger history alone with',
      "their fixed costs (an upper bound). The disk store's heap is its cache, which history does not grow",
      '(the table above), so it has no per-million figure.',
      '',
      '| | in memory: heap | on disk: disk | changelog bytes | changelog records | full restore, lost store | full restore in memory |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...perMillionRows(histories),
      '',
      '**Restore** of every partition (all at once), each in a fresh process: from the checkpoint after a',
      `clean stop (nothing past it), from the checkpoint with a tail of ${formatInt(tail)} records the disk never got`,
      '(written to the changelog and not acknowledged: an instance killed between the two), after the',
      'local store is lost (the whole changelog into a new store), and the in-memory store (which always',
      'reads the whole changelog). Records read in brackets.',
      '',
      '| Layout | History | changelog records | checkpoint, clean stop | checkpoint + tail | lost store (full) | in memory (full) | in memory vs checkpoint + tail |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...restoreRows(histories),
      '',
      `**Throughput** of the two stages as they run, each service in process over its input topics pre-filled`,
      `with ${serviceDays} d of the simulated year (fresh topics and group per row), against the same service with its`,
      'state in memory (`stateDir: null`): rates from the first output record to the last (with start-up: from',
      '`start()`), "time" the steady time against the baseline\'s (goal: within 1.5×), memory after the run',
      '(heap growth over the started service before its first record), the state folder after it.',
      '',
      `The scorer (\`createScorerService\`, reports and enriched items in, until every report's final case is on`,
      'cases.v1; provisional cases every 200 items, no quiet case during the run):',
      '',
      '| Scorer state | reports/s | items/s | reports/s with start-up | time vs memory | heap growth | RSS | disk |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...scorerRows(scorerRuns),
      '',
      'Dedupe (the hasher service over media.observed; its items topic stays empty, so only dedupe works),',
      'until every sighting is on items.hashed:',
      '',
      '| Dedupe state | sightings/s | sightings/s with start-up | time vs memory | heap growth | RSS | disk | keys |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...dedupeRows(dedupeRuns),
      '',
      `**What stays in memory with either store**: dedupe's PDQ index of every distinct image (\`MediaIndex\`,`,
      `near-duplicate search needs it whole): ${formatInt(images)} random PDQ hashes took ${mib(heapGrowth(mediaIndex))} of heap,`,
      `${formatInt(heapGrowth(mediaIndex) / images)} bytes an image (${perMillion(heapGrowth(mediaIndex), images)} per million images).`,
      '',
      'Repeat: `pnpm bench state` (`pnpm bench state --days=5` for 1 and 5 days of history, `BENCH_SCALE=0.1`',
      'for a smoke run).',
    ].join('\n');
    return {
      markdown,
      facts: [
        {
          name: 'Kafka',
          value: `${brokers.join(',')}, RF 1, topics under a fresh prefix per history and row`,
        },
        { name: 'Process', value: 'one child process per row, `--expose-gc`, `--max-old-space-size=8192`' },
        { name: 'Store', value: 'lmdb 3.5.6 on the local disk (tmpdir)' },
      ],
    };
  },
};
