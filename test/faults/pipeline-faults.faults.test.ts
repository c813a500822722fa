// Issue 15's faults: the whole system (every service its own process) on a three-node Kafka
// cluster (replication 3, min in-sync 2) and an Elasticsearch of its own, a generated feed pushed
// as its partners push it, and one fault per scenario landing mid-feed. After each, the indices
// must hold every accepted item exactly once and the truth's counts and tiers: `lost: 0,
// duplicated: 0` (docs/reliability.md#faults says what each counts). CI runs a small feed;
// `pnpm faults` the full one (TRIAGE_FAULT_REPORTS=800).
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GroundTruth } from '@triage/feed';
import { deployedTopic, pipelineTopics } from '@triage/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAgainstTruth, untilSettled } from './support/fault-checker.ts';
import { faultFeedSize, generateFaultFeed, pushFaultFeed, truthItemIds } from './support/fault-feed.ts';
import {
  faultStackDown,
  faultStackUp,
  killBroker,
  leaderOf,
  startBroker,
  startElasticsearch,
  stopElasticsearch,
  topicRecords,
} from './support/fault-stack.ts';
import { type FaultSystem, type SystemProcessName, startFaultSystem } from './support/fault-system.ts';

let root: string;
let feedDir: string;
let truth: GroundTruth;
let itemCount: number;
const run = Date.now().toString(36);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faults-'));
  feedDir = path.join(root, 'feed');
  const [up] = await Promise.all([
    faultStackUp(),
    (async () => (truth = await generateFaultFeed(feedDir)))(),
  ]);
  itemCount = [...truthItemIds(truth).values()].reduce((sum, ids) => sum + ids.length, 0);
  console.warn(
    `faults: cluster and Elasticsearch up in ${(up.totalMs / 1000).toFixed(1)} s; feed ${truth.reports.length} reports, ${itemCount} items (max ${faultFeedSize.maxFiles} files per report)`,
  );
}, 600_000);

afterAll(async () => {
  await faultStackDown();
  await rm(root, { recursive: true, force: true });
}, 120_000);

/** Resolves once `progress()` reaches `threshold` (polled). */
async function when(progress: () => Promise<number>, threshold: number): Promise<number> {
  for (;;) {
    const value = await progress().catch(() => 0);
    if (value >= threshold) return value;
    await sleep(150);
  }
}

/** A fraction of the feed's items, at least 1. */
const share = (fraction: number) => Math.max(1, Math.floor(itemCount * fraction));

interface Scenario {
  name: string;
  /** The fault, run beside the push; resolves once everything it broke is back. */
  fault: (system: FaultSystem) => Promise<string>;
  /** Called before each package is sent (intake's kill starts from here). */
  beforeUpload?: (system: FaultSystem, index: number) => void;
}

/** Starts a deployment, pushes the feed with the fault beside it, waits for it to settle, checks. */
async function runScenario(scenario: Scenario): Promise<void> {
  const started = Date.now();
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]!), 5_000);
  const system = await startFaultSystem({
    prefix: `fault-${run}-${scenario.name}-`,
    root: path.join(root, scenario.name),
    feedDir,
    truth,
  });
  const startedMs = Date.now() - started;
  try {
    let pushedMs = 0;
    const [outcomes, note] = await Promise.all([
      pushFaultFeed({
        feedDir,
        truth,
        intakeUrl: system.intakeUrl,
        keys: system.keys,
        beforeUpload: (index) => scenario.beforeUpload?.(system, index),
      }).finally(() => {
        pushedMs = Date.now() - started;
      }),
      scenario.fault(system),
    ]);
    // Every package accepted, each report once (a retry got the original receipt).
    for (const outcome of outcomes)
      expect(outcome.status, `${outcome.path}: ${JSON.stringify(outcome.body)}`).toBe(202);
    expect(outcomes.flatMap((outcome) => outcome.reportIds).sort()).toEqual(
      truth.reports.map((report) => report.reportId).sort(),
    );
    const faultMs = Date.now() - started;
    const settleMs = await untilSettled(system.search, system.indexPrefix, truth);
    const figures = await checkAgainstTruth(system.search, system.indexPrefix, truth);
    const retried = outcomes.filter((outcome) => outcome.attempts > 1).length;
    console.warn(
      `faults ${scenario.name}: lost: ${figures.lost}, duplicated: ${figures.duplicated}; ` +
        `${figures.reports} reports, ${figures.items} items; ${((Date.now() - started) / 1000).toFixed(0)} s ` +
        `(system up ${seconds(startedMs)} s, feed pushed at ${seconds(pushedMs)} s, fault over at ${seconds(faultMs)} s, ` +
        `settled ${seconds(settleMs)} s later); load average ${average(loads)}; ` +
        `${retried} package(s) retried; ${note}`,
    );
    expect(figures.mismatches.slice(0, 20)).toEqual([]);
    expect({ lost: figures.lost, duplicated: figures.duplicated }).toEqual({ lost: 0, duplicated: 0 });
  } catch (error) {
    for (const [name, child] of Object.entries(system.processes))
      console.warn(`--- ${name} (started ${child.starts}x), last output:\n${child.output().slice(-3_000)}`);
    throw error;
  } finally {
    clearInterval(sampler);
    await system.close();
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(0);

const average = (values: number[]) =>
  values.length === 0
    ? loadavg()[0]!.toFixed(1)
    : (values.reduce((a, b) => a + b, 0) / values.length).toFixed(1);

// In the priority: stage kills, then the broker, Elasticsearch, intake.
describe('the pipeline under faults', () => {
  it('b: kill -9 of each stage mid-batch, one after another, each started again', async () => {
    const kills: [SystemProcessName, string, number][] = [
      ['splitter', pipelineTopics.items.name, 0.15],
      ['hasher', pipelineTopics.itemsHashed.name, 0.3],
      ['enricher', pipelineTopics.itemsEnriched.name, 0.45],
      ['scorer', pipelineTopics.itemsEnriched.name, 0.6],
      ['indexer', pipelineTopics.itemsEnriched.name, 0.75],
    ];
    await runScenario({
      name: 'stages',
      async fault(system) {
        const notes: string[] = [];
        for (const [name, topic, fraction] of kills) {
          await when(() => topicRecords(system.connection, topic), share(fraction));
          await system.processes[name].kill();
          await sleep(1_000);
          await system.processes[name].start();
          notes.push(`${name} at ${fraction * 100}% of ${topic}`);
        }
        return `killed ${notes.join(', ')}`;
      },
    });
  });

  it('a: kill -9 of the broker leading a busy partition mid-feed, started again later', async () => {
    await runScenario({
      name: 'broker',
      async fault(system) {
        await when(() => topicRecords(system.connection, pipelineTopics.items.name), share(0.3));
        const topic = deployedTopic(system.connection, pipelineTopics.items.name);
        const node = await leaderOf(topic, 0);
        await killBroker(node);
        await sleep(20_000);
        await startBroker(node);
        return `node ${node} (leader of ${pipelineTopics.items.name}-0) killed at 30% of items.v1, down 20 s`;
      },
    });
  });

  it('c: Elasticsearch stopped for 60 s mid-feed', async () => {
    await runScenario({
      name: 'search',
      async fault(system) {
        await when(() => topicRecords(system.connection, pipelineTopics.itemsEnriched.name), share(0.25));
        await stopElasticsearch();
        await sleep(60_000);
        await startElasticsearch();
        return 'Elasticsearch stopped at 25% of items.enriched.v1 for 60 s';
      },
    });
  });

  it('d: kill -9 of intake mid-upload, started again; the partner retries with the same key', async () => {
    let killed: Promise<void> | undefined;
    // The biggest package of the feed's middle third: in flight when intake dies.
    const middle = truth.packages
      .map((entry, index) => ({ index, files: entry.reportIds.reduce((sum, id) => sum + filesOf(id), 0) }))
      .slice(
        Math.floor(truth.packages.length / 3),
        Math.max(Math.floor((2 * truth.packages.length) / 3), 1 + Math.floor(truth.packages.length / 3)),
      );
    const target = middle.reduce((best, entry) => (entry.files > best.files ? entry : best), middle[0]!);
    let resolveKilled: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      resolveKilled = resolve;
    });
    await runScenario({
      name: 'intake',
      beforeUpload(system, index) {
        if (index !== target.index) return;
        killed = (async () => {
          await sleep(40);
          await system.processes.intake.kill();
          await sleep(3_000);
          await system.processes.intake.start();
        })().then(resolveKilled);
      },
      async fault() {
        await done;
        await killed;
        return `intake killed 40 ms into package ${target.index + 1} of ${truth.packages.length} (${target.files} files), down 3 s`;
      },
    });
  });
});

function filesOf(reportId: string): number {
  return truth.reports.find((report) => report.reportId === reportId)?.fileCount ?? 0;
}
