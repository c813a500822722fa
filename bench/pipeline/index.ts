import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { createEnricherService } from '@triage/enricher/service';
import { NetworkEnricher } from '@triage/enrichment';
import { type GroundTruth, generateFeed, uploadPackage } from '@triage/feed';
import { importHashList } from '@triage/hash-lists';
import { createHasherService, createPooledMediaHasher, type HasherService } from '@triage/hasher/service';
import { startIntakeProcess } from '@triage/intake/testing';
import { createLogger } from '@triage/logging';
import {
  allTopics,
  baseClientOptions,
  bootstrapTopics,
  consumerLag,
  deployedTopic,
  type KafkaConnection,
  PartitionReader,
  pipelineTopics,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { type Case, createCodec } from '@triage/schemas';
import { createScorerService } from '@triage/scorer/service';
import { testIdentifierKeys } from '@triage/scorer/testing';
import { loadRules } from '@triage/scoring';
import { createSplitterService } from '@triage/splitter/service';
import { formatFixed, formatInt, formatRatio, median } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const codec = createCodec();
const logger = createLogger({ name: 'bench-pipeline', level: 'warn' });
const seed = 2026;
const repetitions = 3;
const hasherSettings = { pdqMatchDistance: 31, pdqMinQuality: 50, threads: 2 } as const;

interface Plan {
  readonly reports: number;
  readonly maxFiles: number;
}

interface PipelineRun {
  /** First upload sent -> last 202 read. */
  readonly acceptedSeconds: number;
  /** First upload sent -> every report's final case read from cases.v1. */
  readonly finalSeconds: number;
  readonly casesWritten: number;
}

function hasherFor(connection: KafkaConnection, contentRoot: string, group: string): HasherService {
  return createHasherService({
    connection,
    codec,
    logger,
    mediaHasher: createPooledMediaHasher({
      contentStore: { root: contentRoot },
      maxPixels: 50_000_000,
      threads: hasherSettings.threads,
    }),
    hasherGroupId: `${group}-hasher`,
    dedupeGroupId: `${group}-dedupe`,
    pdqMatchDistance: hasherSettings.pdqMatchDistance,
    pdqMinQuality: hasherSettings.pdqMinQuality,
    // Dedupe's state on disk, as deployed: beside the content store, one folder per group.
    stateDir: path.join(path.dirname(contentRoot), `${group}-hasher-state`),
  });
}

/** Reads cases.v1 until every report has a final case; returns how many cases were read. */
async function untilFinal(connection: KafkaConnection, reportIds: ReadonlySet<string>): Promise<number> {
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, pipelineTopics.cases.name),
    name: 'bench-pipeline-cases',
  });
  const pending = new Set(reportIds);
  let cases = 0;
  try {
    for await (const record of reader.follow()) {
      if (record.value === null) continue;
      const value: Case = codec.decode('Case', record.value);
      cases += 1;
      if (!value.provisional) pending.delete(value.reportId);
      if (pending.size === 0) return cases;
    }
    throw new Error('cases.v1 ended before every report was final');
  } finally {
    await reader.close();
  }
}

/** Partner uploads, one client per partner (each sends its packages in order), as partners do. */
async function pushAll(
  out: string,
  truth: GroundTruth,
  intakeUrl: string,
  keys: ReadonlyMap<string, string>,
) {
  await Promise.all(
    truth.partners.map(async ({ partnerId }) => {
      for (const entry of truth.packages.filter((candidate) => candidate.partnerId === partnerId)) {
        const outcome = await uploadPackage(
          { path: path.join(out, entry.path), apiKey: keys.get(partnerId)!, bundleRef: entry.bundleRef },
          { intakeUrl, maxRetries: 20 },
        );
        if (outcome.status !== 202) {
          throw new Error(`${entry.path}: ${outcome.status} ${JSON.stringify(outcome.body)}`);
        }
      }
    }),
  );
}

/** Intake, splitter, hasher, enricher and scorer on fresh topics: uploads to final cases. */
async function wholePipeline(
  ctx: SuiteContext,
  connection: KafkaConnection,
  root: string,
  out: string,
  truth: GroundTruth,
): Promise<{ run: PipelineRun; contentRoot: string }> {
  const file = path.join(out, 'known-hashes.csv');
  await importHashList({ file, list: 'bench-demo', version: 'bench', connection, codec });
  const intake = await startIntakeProcess({
    connection,
    root: path.join(root, 'intake'),
    partners: truth.partners.map((partner) => partner.partnerId),
    env: { INTAKE_SPLITTER_GROUP_ID: 'bench-splitter', INTAKE_MAX_PENDING_BUNDLES: '100000' },
  });
  const enricher = await NetworkEnricher.open({ reloadIntervalMs: 0 });
  const splitter = createSplitterService({ connection, codec, logger, groupId: 'bench-splitter' });
  const hasher = hasherFor(connection, intake.contentRoot, 'bench');
  const enricherService = createEnricherService({
    connection,
    codec,
    logger,
    groupId: 'bench-enricher',
    enricher,
  });
  const scorer = createScorerService({
    connection,
    codec,
    logger,
    groupId: 'bench-scorer',
    identifierKeys: testIdentifierKeys,
    rules: loadRules(),
    enricher,
    provisionalEvery: 200,
    quietMs: 60_000,
    // The scorer's state on disk, as deployed: beside the content store.
    stateDir: path.join(path.dirname(intake.contentRoot), 'bench-scorer-state'),
  });
  const stages = [splitter, hasher, enricherService, scorer];
  try {
    await Promise.all(stages.map((stage) => stage.start()));
    ctx.log(`pushing ${truth.packages.length} packages (${truth.reports.length} reports)`);
    const final = untilFinal(connection, new Set(truth.reports.map((report) => report.reportId)));
    const started = performance.now();
    await pushAll(out, truth, intake.url, intake.keys);
    const acceptedSeconds = (performance.now() - started) / 1000;
    ctx.log(`every package accepted after ${formatFixed(acceptedSeconds, 1)} s; waiting for final cases`);
    const casesWritten = await final;
    const finalSeconds = (performance.now() - started) / 1000;
    return { run: { acceptedSeconds, finalSeconds, casesWritten }, contentRoot: intake.contentRoot };
  } finally {
    for (const stage of stages.reverse()) await stage.stop();
    await enricher.close();
    await intake.stop();
  }
}

/**
 * The baseline: the hasher alone (both groups, fresh) over the items the pipeline just split,
 * from start until neither group has anything left to read.
 */
async function hasherAlone(connection: KafkaConnection, contentRoot: string): Promise<number> {
  const hasher = hasherFor(connection, contentRoot, 'bench-solo');
  const admin = new Admin(baseClientOptions(connection, 'bench-pipeline-lag'));
  const pending = async () => {
    const [items, observed] = await Promise.all([
      consumerLag(admin, 'bench-solo-hasher', deployedTopic(connection, pipelineTopics.items.name)),
      consumerLag(admin, 'bench-solo-dedupe', deployedTopic(connection, pipelineTopics.mediaObserved.name)),
    ]);
    return items.pending + observed.pending;
  };
  try {
    const started = performance.now();
    await hasher.start();
    // The dedupe group's input fills as the hasher goes: done once both are drained twice running.
    for (let quiet = 0; quiet < 2; ) {
      await sleep(100);
      quiet = (await pending()) === 0 ? quiet + 1 : 0;
    }
    return (performance.now() - started) / 1000;
  } finally {
    await hasher.stop();
    await admin.close();
  }
}

/**
 * The whole pipeline on one machine: a generated feed pushed by its partners through intake, the
 * splitter, the hasher, the enricher and the scorer, timed to the last report's final case, against
 * the hasher alone (the stage that hashes and decodes every image) over the same items.
 */
export const pipelineSuite: Suite = {
  name: 'pipeline',
  title: 'Whole pipeline: partner uploads to final cases vs the hasher alone',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const plan: Plan = { reports: Math.max(20, Math.round(120 * ctx.scale)), maxFiles: 120 };
    const root = await mkdtemp(path.join(tmpdir(), 'bench-pipeline-'));
    const connections: KafkaConnection[] = [];
    try {
      const out = path.join(root, 'feed');
      ctx.log(`generating a feed of ${plan.reports} reports (seed ${seed})`);
      await generateFeed({ seed, reports: plan.reports, out, format: 'zip', maxFiles: plan.maxFiles });
      const truth = JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8')) as GroundTruth;
      const files = truth.reports.reduce((sum, report) => sum + report.fileCount, 0);
      // One item per file and per reported URL (what the splitter writes to items.v1).
      const items = files + truth.reports.reduce((sum, report) => sum + report.urlCount, 0);
      const runs: (PipelineRun & { soloSeconds: number })[] = [];
      for (let repetition = 1; repetition <= repetitions; repetition++) {
        // Each repetition on empty topics and an empty content store: nothing is known yet.
        const connection: KafkaConnection = {
          brokers,
          clientId: 'bench-pipeline',
          topicPrefix: `bench-pipeline-${process.pid}-${Date.now().toString(36)}.`,
        };
        connections.push(connection);
        await bootstrapTopics({ connection, topics: allTopics, replicationFactor: 1 });
        ctx.log(`repetition ${repetition}: the whole pipeline`);
        const { run, contentRoot } = await wholePipeline(
          ctx,
          connection,
          path.join(root, `run-${repetition}`),
          out,
          truth,
        );
        ctx.log(`repetition ${repetition}: the hasher alone over the same items`);
        runs.push({ ...run, soloSeconds: await hasherAlone(connection, contentRoot) });
        await deletePrefixedTopics(connection, 'bench-pipeline-cleanup').catch(() => undefined);
      }
      const finalSeconds = median(runs.map((run) => run.finalSeconds));
      const soloSeconds = median(runs.map((run) => run.soloSeconds));
      const reports = truth.reports.length;
      const rows = [
        ['Whole pipeline: first upload to the last final case', finalSeconds],
        [
          'Uploads: first upload to the last 202 (3 partners at once)',
          median(runs.map((run) => run.acceptedSeconds)),
        ],
        ['**Hasher alone** (baseline): both groups, fresh, over the same items', soloSeconds],
      ] as const;
      const markdown = [
        `A generated feed (seed ${seed}, ZIP packages): ${formatInt(reports)} reports in`,
        `${formatInt(truth.packages.length)} packages from ${truth.partners.length} partners, ${formatInt(files)} media files,`,
        `${formatInt(items)} items (files and reported URLs). Medians of ${repetitions} repetitions; ratios are items/s`,
        'against the baseline, the hasher alone, measured in the same repetitions over the same items.',
        '',
        '| Path | Seconds | Reports/s | Items/s | vs hasher alone |',
        '| --- | ---: | ---: | ---: | ---: |',
        ...rows.map(
          ([label, seconds]) =>
            `| ${label} | ${formatFixed(seconds, 1)} | ${formatFixed(reports / seconds, 1)} | ${formatInt(items / seconds)} | ${formatRatio(soloSeconds, seconds)} |`,
        ),
        '',
        `The scorer wrote ${runs.map((run) => formatInt(run.casesWritten)).join(', ')} cases (provisional and final) for the ${formatInt(reports)} reports.`,
        '',
        '**Method.** Everything on this machine and the local 1-node broker (RF 1), topics under a fresh',
        'prefix per repetition (deleted afterwards). Intake is `main.ts` in a child process; the splitter, the hasher',
        `(${hasherSettings.threads} worker threads), the enricher (bundled ip-location-db data) and the scorer run in the suite`,
        "process, each in its own consumer group, as `scripts/run.sh` runs them. Each partner's client",
        'sends its packages one after another, the partners at once. The clock starts at the first upload',
        'and stops when `cases.v1` holds a final case for every report of the ground truth. The baseline',
        'then starts a fresh hasher (new groups) over the `items.v1` the run produced and stops when',
        'neither group has records left to read.',
      ].join('\n');
      return {
        markdown,
        facts: [
          { name: 'Kafka', value: `${brokers.join(',')}, RF 1, topics under a fresh prefix` },
          {
            name: 'Feed',
            value: `seed ${seed}, ${plan.reports} reports, at most ${plan.maxFiles} files a report`,
          },
        ],
      };
    } finally {
      for (const connection of connections) {
        await deletePrefixedTopics(connection, 'bench-pipeline-cleanup').catch(() => undefined);
      }
      await rm(root, { recursive: true, force: true });
    }
  },
};
