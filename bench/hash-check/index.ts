import { fork } from 'node:child_process';
import path from 'node:path';
import { formatInt, percentile } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import type { HashCheckBenchJob, WorkerMessage } from './worker.ts';

const workerPath = path.join(import.meta.dirname, 'worker.ts');
/** The service's configured answer floor (HASH_CHECK_ANSWER_FLOOR_MS default). */
const defaultFloorMs = 50;

interface HttpTiming {
  batchMs: number[];
  matches: number;
}

/** Sends every body of one batch size, one at a time, and times each from send to parsed answer. */
async function timeHttp(url: string, key: string, bodies: readonly string[]): Promise<HttpTiming> {
  const post = async (body: string) => {
    const response = await fetch(new URL('/v1/hash-check', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });
    const answer = (await response.json()) as { answers?: { match: boolean }[]; code?: string };
    if (!response.ok || !answer.answers)
      throw new Error(`hash-check refused a batch: ${response.status} ${answer.code}`);
    return answer.answers;
  };
  await post(bodies[0]!);
  const batchMs: number[] = [];
  let matches = 0;
  for (const body of bodies) {
    const t0 = performance.now();
    const answers = await post(body);
    batchMs.push(performance.now() - t0);
    matches += answers.filter((answer) => answer.match).length;
  }
  return { batchMs, matches };
}

const rate = (size: number, batchMs: readonly number[]) =>
  formatInt(Math.round((size * batchMs.length) / (batchMs.reduce((sum, ms) => sum + ms, 0) / 1000)));
const p99 = (batchMs: readonly number[]) =>
  percentile(batchMs, 0.99).toFixed(batchMs.length > 0 && percentile(batchMs, 0.99) < 10 ? 2 : 0);

/**
 * The hash-check service for hosters: hashes/s and p99 per batch over loopback HTTP (policy,
 * probe detector, per-batch audit on Kafka included), against the bare in-process index doing
 * the same lookups in the same run.
 */
export const hashCheckSuite: Suite = {
  name: 'hash-check',
  title: 'Hash-check for hosters: batches over HTTP vs the bare in-process index',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const scaled = (n: number, least: number) => Math.max(least, Math.round(n * ctx.scale));
    const job: HashCheckBenchJob = {
      exact: scaled(1_000_000, 10_000),
      pdq: scaled(1_000_000, 10_000),
      batches: { 1: scaled(2_000, 50), 100: scaled(200, 10), 10000: scaled(10, 3) },
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      defaultFloorMs,
    };
    ctx.log(`building a list of ${formatInt(job.exact)} exact and ${formatInt(job.pdq)} PDQ hashes`);
    const child = fork(workerPath, [], {
      serialization: 'advanced',
      execArgv: ['--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const next = () =>
      new Promise<WorkerMessage>((resolve, reject) => {
        child.once('message', (message: WorkerMessage) =>
          message.type === 'error'
            ? reject(new Error(`hash-check worker: ${message.message}`))
            : resolve(message),
        );
        child.once('exit', (code) => reject(new Error(`hash-check worker exited with ${code}`)));
      });
    try {
      child.send(job);
      const ready = await next();
      if (ready.type !== 'ready') throw new Error('hash-check worker: expected ready');
      const rows: string[] = [];
      let goal = '';
      for (const bare of ready.bare) {
        const bodies = ready.bodies[bare.size]!;
        ctx.log(
          `batches of ${formatInt(bare.size)}: ${bodies.length} over HTTP, floor 0 and ${defaultFloorMs} ms`,
        );
        const http = await timeHttp(ready.urls.floor0, ready.key, bodies);
        const floored = await timeHttp(ready.urls.floorDefault, ready.key, bodies);
        if (http.matches !== bare.matches)
          throw new Error(`HTTP answered ${http.matches} matches, the bare index ${bare.matches}`);
        const bareMean = bare.batchMs.reduce((sum, ms) => sum + ms, 0);
        const httpMean = http.batchMs.reduce((sum, ms) => sum + ms, 0);
        const ratio = httpMean / bareMean;
        if (bare.size === 10_000)
          goal = ratio <= 3 ? `**met** (${ratio.toFixed(2)}×)` : `**not met** (${ratio.toFixed(2)}×)`;
        rows.push(
          `| ${formatInt(bare.size)} | ${bodies.length} | ${rate(bare.size, bare.batchMs)} | ${p99(bare.batchMs)} | ${rate(bare.size, http.batchMs)} | ${p99(http.batchMs)} | **${ratio.toFixed(2)}×** | ${rate(bare.size, floored.batchMs)} | ${p99(floored.batchMs)} | ${((100 * bare.matches) / (bare.size * bodies.length)).toFixed(0)} % |`,
        );
      }
      child.send('stop');
      const done = await next();
      const audited = done.type === 'done' ? done.auditEvents : 0;
      const markdown = [
        `List: ${formatInt(job.exact)} exact hashes (40 % MD5, 30 % SHA-1, 30 % SHA-256) and ${formatInt(job.pdq)} PDQ`,
        "hashes (clustered like real lists, `generateClusteredHashes`) in the service's `KnownHashIndex`, filled",
        `directly (${(ready.buildMs / 1000).toFixed(1)} s with the PDQ build), not read from Kafka: the answer path is what is measured.`,
        'Batches: half exact hashes (half of them listed), half PDQ (half near-duplicates of listed rows, 0-16 bits',
        'flipped; half random), PDQ distance 31. Baseline: the **bare index**, `KnownHashIndex.lookup` of every hash of',
        "the batch in the service's process, no HTTP. **HTTP**: `POST /v1/hash-check` over loopback from the bench",
        'process, one batch at a time, timed from send to parsed answer: JSON, schema validation, key check, rate limit,',
        "policy, the same lookups, the probe detector and the batch's audit event acknowledged by Kafka (acks=all).",
        `Answer floor 0 (the machinery) and ${defaultFloorMs} ms (the default \`HASH_CHECK_ANSWER_FLOOR_MS\`, which hides`,
        'whether a small batch matched). Ratio = HTTP time / bare time over all batches of that size (floor 0).',
        `Every HTTP batch's answers were checked against the bare index's match count; ${formatInt(audited)} audit events written.`,
        '',
        `Goal: HTTP within 3× of the bare index for batches of 10 000: ${goal}.`,
        '',
        `| Batch | batches | bare hashes/s | bare p99 ms | HTTP hashes/s | HTTP p99 ms | HTTP / bare | HTTP hashes/s, ${defaultFloorMs} ms floor | p99 ms, floor | matches |`,
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
      ].join('\n');
      return {
        markdown,
        facts: [
          {
            name: 'Process',
            value:
              'service and index in one child process (`--max-old-space-size=4096`), client in the bench process',
          },
          { name: 'Kafka', value: 'the broker at KAFKA_BROKERS, a prefixed audit topic deleted afterwards' },
        ],
      };
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  },
};
