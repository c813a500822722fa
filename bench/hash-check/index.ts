import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { formatInt, percentile } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import type { HashCheckBenchJob, ParentMessage, WorkerMessage } from './worker.ts';

const workerPath = path.join(import.meta.dirname, 'worker.ts');
/** The service's configured answer floor (HASH_CHECK_ANSWER_FLOOR_MS default). */
const defaultFloorMs = 50;

/** The worker's next message; its error or exit rejects. */
function nextMessage(child: ChildProcess): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`hash-check worker exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message: WorkerMessage) => {
      child.off('exit', onExit);
      if (message.type === 'error') reject(new Error(`hash-check worker: ${message.message}`));
      else resolve(message);
    });
  });
}

/** Posts one batch; resolves with its answers' match count (a refusal throws). */
async function post(url: string, key: string, body: string): Promise<number> {
  const response = await fetch(new URL('/v1/hash-check', url), {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  const answer = (await response.json()) as { answers?: { match: boolean }[]; code?: string };
  if (!response.ok || !answer.answers)
    throw new Error(`hash-check refused a batch: ${response.status} ${answer.code}`);
  return answer.answers.filter((one) => one.match).length;
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const result = await run();
  return [performance.now() - t0, result];
}

interface SizeTimings {
  bare: number[];
  http: number[];
  floored: number[];
  matches: number;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const rate = (size: number, batchMs: readonly number[]) =>
  formatInt(Math.round((size * batchMs.length) / (sum(batchMs) / 1000)));
const p99 = (batchMs: readonly number[]) => {
  const ms = percentile(batchMs, 0.99);
  return ms.toFixed(ms < 10 ? 2 : 0);
};

/**
 * The hash-check service for hosters: hashes/s and p99 per batch over loopback HTTP (policy,
 * probe detector, per-batch audit on Kafka included), against the bare in-process index doing the
 * same lookups, batch by batch in the same run.
 */
export const hashCheckSuite: Suite = {
  name: 'hash-check',
  title: 'Hash-check for hosters: batches over HTTP vs the bare in-process index',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const scaled = (n: number, least: number) => Math.max(least, Math.round(n * ctx.scale));
    const job: HashCheckBenchJob = {
      exact: scaled(1_000_000, 10_000),
      pdq: scaled(1_000_000, 10_000),
      batches: { 1: scaled(1_000, 50), 100: scaled(200, 10), 10000: scaled(10, 3) },
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      defaultFloorMs,
    };
    ctx.log(`building a list of ${formatInt(job.exact)} exact and ${formatInt(job.pdq)} PDQ hashes`);
    const child = fork(workerPath, [], {
      serialization: 'advanced',
      execArgv: ['--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ask = (message: ParentMessage) => child.send(message);
    const loadAtStart = loadavg()[0]!;
    try {
      child.send(job);
      const ready = await nextMessage(child);
      if (ready.type !== 'ready') throw new Error('hash-check worker: expected ready');
      const results = new Map<number, SizeTimings>();
      for (const [sizeText, bodies] of Object.entries(ready.bodies)) {
        const size = Number(sizeText);
        ctx.log(
          `batches of ${formatInt(size)}: ${bodies.length}, each bare, over HTTP, over HTTP with the floor`,
        );
        // Warm-up: one batch on each server (JIT, connections), untimed.
        await post(ready.urls.floor0, ready.key, bodies[0]!);
        await post(ready.urls.floorDefault, ready.key, bodies[0]!);
        const timings: SizeTimings = { bare: [], http: [], floored: [], matches: 0 };
        for (let index = 0; index < bodies.length; index++) {
          // Bare, then HTTP, then HTTP with the floor: one batch's three timings under the same load.
          ask({ type: 'bare', size, index });
          const bare = await nextMessage(child);
          if (bare.type !== 'bare') throw new Error('hash-check worker: expected a bare timing');
          const [httpMs, matches] = await timed(() => post(ready.urls.floor0, ready.key, bodies[index]!));
          const [flooredMs] = await timed(() => post(ready.urls.floorDefault, ready.key, bodies[index]!));
          if (matches !== bare.matches)
            throw new Error(
              `batch ${index} of ${size}: HTTP answered ${matches} matches, the bare index ${bare.matches}`,
            );
          timings.bare.push(bare.ms);
          timings.http.push(httpMs);
          timings.floored.push(flooredMs);
          timings.matches += matches;
        }
        results.set(size, timings);
      }
      ask({ type: 'stop' });
      const done = await nextMessage(child);
      const audited = done.type === 'done' ? done.auditEvents : 0;

      const rows: string[] = [];
      let goal = '';
      for (const [size, timings] of results) {
        const ratio = sum(timings.http) / sum(timings.bare);
        if (size === 10_000) goal = `**${ratio <= 3 ? 'met' : 'not met'}** (${ratio.toFixed(2)}×)`;
        rows.push(
          `| ${formatInt(size)} | ${timings.bare.length} | ${rate(size, timings.bare)} | ${p99(timings.bare)} | ${rate(size, timings.http)} | ${p99(timings.http)} | **${ratio.toFixed(2)}×** | ${rate(size, timings.floored)} | ${p99(timings.floored)} | ${((100 * timings.matches) / (size * timings.bare.length)).toFixed(0)} % |`,
        );
      }
      const markdown = [
        `List: ${formatInt(job.exact)} exact hashes (40 % MD5, 30 % SHA-1, 30 % SHA-256) and ${formatInt(job.pdq)} PDQ`,
        "hashes (clustered like real lists, `generateClusteredHashes`) in the service's `KnownHashIndex`, filled",
        `directly (${(ready.buildMs / 1000).toFixed(1)} s with the PDQ build), not read from Kafka: the answer path is what is measured.`,
        'Batches: every other hash exact (half of those listed), the others PDQ (half near-duplicates of listed rows,',
        '0-16 bits flipped, half random), PDQ distance 31. Baseline: the **bare index**, `KnownHashIndex.lookup` of',
        "every hash of the batch in the service's process, no HTTP. **HTTP**: `POST /v1/hash-check` over loopback",
        'from the bench process, one batch at a time, timed from send to parsed answer: JSON, schema validation, key',
        "check, rate limit, policy, the same lookups, the probe detector and the batch's audit event acknowledged by",
        `Kafka (acks=all), with answer floor 0 (the machinery) and ${defaultFloorMs} ms (the default`,
        '`HASH_CHECK_ANSWER_FLOOR_MS`, which hides whether a small batch matched). Each batch is timed bare, then',
        'over HTTP, then with the floor, one after the other, so the three see the same load on a shared machine.',
        'HTTP / bare = HTTP time over bare time, all batches of that size (floor 0). Every HTTP batch answered as',
        `many matches as the bare index found; ${formatInt(audited)} audit events written.`,
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
          {
            name: 'Load average (1 min)',
            value: `${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (other work on the machine)`,
          },
        ],
      };
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  },
};
