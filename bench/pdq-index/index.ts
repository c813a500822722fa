import path from 'node:path';
import { pdqIndexDefaults } from '@triage/matching';
import { runChildJob } from '../lib/child-job.ts';
import { formatInt } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import type { ExactJob, ExactResult, IndexJob, IndexResult, Job, JobResult } from './jobs.ts';
import { exactTable, indexTables } from './table.ts';

const workerPath = path.join(import.meta.dirname, 'worker.ts');
/** Typed arrays live outside the V8 heap; the heap itself needs little, but the generator's lists grow with N. */
const workerArgs = ['--expose-gc', '--max-old-space-size=4096'];

/** Runs one job in a fresh child process. */
function runJob<T extends JobResult>(job: Job, ctx: SuiteContext, timeoutMs: number): Promise<T> {
  return runChildJob<T, string>(workerPath, job, {
    label: job.kind,
    timeoutMs,
    execArgv: workerArgs,
    onProgress: ctx.log,
  });
}

interface PdqBenchPlan {
  readonly indexJobs: readonly IndexJob[];
  readonly exactJobs: readonly ExactJob[];
}

function pdqBenchPlan(scale: number): PdqBenchPlan {
  const sized = (n: number) => Math.max(10_000, Math.round(n * scale));
  const indexJobs = [
    { hashes: sized(1_000_000), linearQueries: 200, linearVariantQueries: 20 },
    { hashes: sized(10_000_000), linearQueries: 60, linearVariantQueries: 8 },
  ].map(
    (size): IndexJob => ({
      kind: 'index',
      seed: 20_251_128,
      queries: 3000,
      variantQueries: 400,
      passes: 5,
      churn: 0.005,
      maxDistance: 31,
      ...size,
    }),
  );
  const exactJobs = (['exact-hash-set', 'map'] as const).map(
    (store): ExactJob => ({ kind: 'exact', hashes: sized(1_000_000), lookups: 1_000_000, store }),
  );
  return { indexJobs, exactJobs };
}

function methodText(plan: PdqBenchPlan, results: readonly IndexResult[]): string {
  const job = plan.indexJobs[0]!;
  const o = pdqIndexDefaults;
  const shapes = results
    .map(
      (r) =>
        `${formatInt(r.hashes)} hashes: ${formatInt(r.data.families)} families holding ` +
        `${((100 * r.data.familyRows) / r.hashes).toFixed(0)}% of the rows, ${r.data.familiesOver1000} of them with 1 000+ members, the largest ${formatInt(r.data.largestFamily)}`,
    )
    .join('; ');
  return [
    `**Data.** \`generateClusteredHashes\` (\`@triage/matching/testing\`, seed ${job.seed}): 60% of the rows in`,
    'families of near-duplicates (Pareto family sizes, alpha 1.5, 2 to 20 000 members; each member 0-20 bits',
    `from a random centre, mostly few), 40% uniform random; rows shuffled. ${shapes}.`,
    '',
    `**Queries.** ${job.queries} single hashes: half near-duplicates of a random indexed row (0-16 bits`,
    'flipped; rows in big families are picked in proportion, so those queries are in the tail), half unrelated',
    `random hashes; threshold ${job.maxDistance}. ${job.variantQueries} 8-variant queries: one of those hashes plus 7 unrelated ones standing`,
    'in for its dihedral variants. Each list is run once untimed (JIT warm-up; also counts matches), then',
    `${job.passes} timed passes; a query's latency is its median over the passes, so a pass disturbed by another`,
    'process on the machine does not count; p50/p99 are over the queries. Queries/s = 1000 / mean ms, one',
    'thread. The linear scan runs the first queries of the same lists (see the tables for how many) over the',
    'same rows: the same SWAR popcount, giving up on a row once its first 128 bits differ by more than the',
    'threshold. Recall: every query the linear scan ran is also run on the index and the two results',
    '(ids, distances, variants) must be identical.',
    '',
    `**Index.** \`PdqIndex\` defaults: ${o.slots} slots (8 of 23 bits, 3 of 24) probed at radius 2 (one`,
    `24-bit slot at radius 1: exact for distance <= 31 by the pigeonhole bound); CSR slot tables with runs of`,
    `~${o.bucketTarget} entries; rows clustered by their first slot key at build. Build = \`addMany\` of every row, then`,
    '`optimize()` (one segment). Index MB = slot tables; store MB = hash words, ids, flags; id table = id -> row;',
    'total = everything `memoryBytes()` counts. RSS growth is the process RSS after the build minus before',
    'the first add (after a full GC each time); the generated input (32 bytes a row) is outside it.',
    '',
    `**Updates.** After the timed queries, ${(job.churn * 100).toFixed(1)}% more rows (new clustered data) are added in`,
    'batches of 1 000 with a query after each batch (which indexes them: tail, new segments, merges), then as',
    'many random rows are removed (tombstones, no compaction yet); then the first 1 000 single-hash queries are',
    'timed again.',
    '',
    'Run in child processes with `node --expose-gc --max-old-space-size=4096` (typed arrays are outside the',
    'V8 heap; the flag only gives the generator room). Decision and context: [ADR 0004](adr/0004-pdq-index.md).',
  ].join('\n');
}

export const pdqIndexSuite: Suite = {
  name: 'pdq-index',
  title: 'PDQ matching index: multi-index hashing vs linear scan',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const plan = pdqBenchPlan(ctx.scale);
    const indexResults: IndexResult[] = [];
    for (const job of plan.indexJobs) {
      ctx.log(`index at ${formatInt(job.hashes)} hashes`);
      indexResults.push(await runJob<IndexResult>(job, ctx, 30 * 60_000));
    }
    const exactResults: ExactResult[] = [];
    for (const job of plan.exactJobs) {
      ctx.log(`exact set: ${job.store} with ${formatInt(job.hashes)} MD5`);
      exactResults.push(await runJob<ExactResult>(job, ctx, 10 * 60_000));
    }
    for (const result of indexResults)
      if (result.recall.identical !== result.recall.compared)
        throw new Error(
          `recall below the linear scan at ${result.hashes} hashes: ${result.recall.identical}/${result.recall.compared}`,
        );
    const loads = indexResults.flatMap((r) => r.loadAverage);
    return {
      markdown: [
        indexTables(indexResults),
        '',
        exactTable(exactResults),
        '',
        '### Method',
        '',
        methodText(plan, indexResults),
      ].join('\n'),
      facts: [
        { name: 'Threshold', value: 'Hamming distance <= 31 of 256 bits' },
        {
          name: 'Load average (1 min)',
          value: `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} during the index jobs (other work on the machine)`,
        },
      ],
    };
  },
};
