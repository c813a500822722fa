import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContentStore } from '@triage/content-store';
import { type IntakeProcess, startIntakeProcess } from '@triage/intake/testing';
import { bootstrapTopics, deployedTopic, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { committedRecordCount, deletePrefixedTopics } from '@triage/messaging/testing';
import { peakRssOf } from '@triage/testkit';
import { packageVersion } from '../lib/package-version.ts';
import { formatFixed, formatInt, formatRatio, median, percentile } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';
import {
  type LargePlan,
  type LargeUpload,
  largePlan,
  sendLargeMultipart,
  sendLargeZip,
} from './large-bundle.ts';
import { httpLoad, type LoadResult, storeLoad } from './load.ts';
import { filesPerBundle, imagePool, type SmallFormat, smallRequests } from './small-bundles.ts';

const workerPath = path.join(import.meta.dirname, 'worker.ts');
const MiB = 1024 ** 2;
const rssLimitBytes = 300_000_000;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

interface BaselineServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** The bare Fastify transport baseline (worker.ts) in its own process. */
async function startBaselineServer(): Promise<BaselineServer> {
  const child = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`baseline server exited (${code}) before it listened`);
    }),
  ])) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${message.port}/v1/bundles`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

type Target = 'transport' | 'store' | 'intake' | 'intake-partners';

const targetLabel: Record<Target, string> = {
  transport: 'bare Fastify, drain only (transport baseline)',
  store: '`ContentStore.put`, no HTTP (storage baseline)',
  intake: '**intake**, 1 partner',
  'intake-partners': '**intake**, 8 partners (one per client)',
};

interface Measurement {
  readonly format: SmallFormat | 'none';
  readonly clients: number;
  readonly target: Target;
  readonly runs: LoadResult[];
}

function bundlesPerSecond(run: LoadResult): number {
  return run.requests / run.seconds;
}

function summary(measurement: Measurement) {
  const rate = median(measurement.runs.map(bundlesPerSecond));
  const mediaRate = median(measurement.runs.map((run) => run.mediaBytes / run.seconds / 1e6));
  const latencies = measurement.runs.flatMap((run) => run.latenciesMs);
  return { rate, mediaRate, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/**
 * Committed records on the bundles topic, read (offsets would count transaction markers too):
 * every 202 of a new bundle published one.
 */
function publishedBundles(connection: KafkaConnection): Promise<bigint> {
  return committedRecordCount(connection, deployedTopic(connection, pipelineTopics.bundles.name));
}

interface SmallPlan {
  readonly bundles: number;
  readonly warmup: number;
  readonly repetitions: number;
}

async function measureSmall(
  ctx: SuiteContext,
  plan: SmallPlan,
  connection: KafkaConnection,
  root: string,
): Promise<{ measurements: Measurement[]; intakePeakRss: number; sentToIntake: number; published: bigint }> {
  const pool = await imagePool(24);
  const partners = Array.from({ length: 8 }, (_, index) => `bench-p${index + 1}`);
  const intake = await startIntakeProcess({
    connection,
    root: path.join(root, 'intake-small'),
    partners,
    // The 8-client rows send one partner's uploads 8 at a time, past the default cap of 4.
    env: { LOG_LEVEL: 'info', INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER: '8' },
  });
  const baseline = await startBaselineServer();
  const storeRoot = path.join(root, 'store-baseline');
  const store = new ContentStore({ root: storeRoot });
  const measurements = new Map<string, Measurement>();
  const record = (format: Measurement['format'], clients: number, target: Target, run: LoadResult) => {
    const key = `${format}/${clients}/${target}`;
    const existing = measurements.get(key) ?? { format, clients, target, runs: [] };
    existing.runs.push(run);
    measurements.set(key, existing);
  };
  let batch = 0;
  let sentToIntake = 0;
  const tag = () => `bench-${process.pid}-${++batch}`;
  const onePartner = () => intake.keys.get(partners[0]!);
  const perClient = (index: number) => intake.keys.get(partners[index % partners.length]!);
  try {
    for (let rep = 1; rep <= plan.repetitions; rep++) {
      for (const format of ['multipart', 'zip'] as const) {
        for (const clients of [1, 8]) {
          const targets: Target[] =
            format === 'multipart' && clients > 1
              ? ['transport', 'intake', 'intake-partners']
              : ['transport', 'intake'];
          for (const target of targets) {
            const url = target === 'transport' ? baseline.url : `${intake.url}/v1/bundles`;
            const keyFor =
              target === 'transport' ? () => undefined : target === 'intake' ? onePartner : perClient;
            const warm = await smallRequests(format, tag(), plan.warmup, pool);
            await httpLoad(url, warm, clients, keyFor);
            const requests = await smallRequests(format, tag(), plan.bundles, pool);
            ctx.log(`rep ${rep}: ${format}, ${clients} client(s), ${target}: ${requests.length} bundles`);
            record(format, clients, target, await httpLoad(url, requests, clients, keyFor));
            if (target !== 'transport') sentToIntake += warm.length + requests.length;
          }
        }
      }
      for (const clients of [1, 8]) {
        const warm = await smallRequests('multipart', tag(), plan.warmup, pool);
        await storeLoad(store, warm, clients);
        const requests = await smallRequests('multipart', tag(), plan.bundles, pool);
        ctx.log(`rep ${rep}: ContentStore.put, ${clients} client(s): ${requests.length} bundles`);
        record('none', clients, 'store', await storeLoad(store, requests, clients));
      }
    }
    const intakePeakRss = await intake.peakRssBytes();
    return {
      measurements: [...measurements.values()],
      intakePeakRss,
      sentToIntake,
      published: await publishedBundles(connection),
    };
  } finally {
    await baseline.stop();
    const code = await intake.stop();
    if (code !== 0) ctx.log(`intake exited ${code}:\n${intake.output().slice(-4000)}`);
    await rm(storeRoot, { recursive: true, force: true });
  }
}

interface LargeRow {
  readonly format: 'multipart' | 'zip';
  readonly target: 'transport' | 'intake';
  readonly upload: LargeUpload;
  readonly startRss: number;
  readonly peakRss: number;
}

async function measureLarge(
  ctx: SuiteContext,
  plan: LargePlan,
  connection: KafkaConnection,
  root: string,
): Promise<LargeRow[]> {
  const rows: LargeRow[] = [];
  for (const format of ['multipart', 'zip'] as const) {
    const send = format === 'multipart' ? sendLargeMultipart : sendLargeZip;
    // A fresh process each time, so VmHWM is this upload's peak (plus start-up).
    const baseline = await startBaselineServer();
    try {
      const startRss = await peakRssOf(baseline.pid);
      ctx.log(`large ${format}: bare Fastify`);
      const upload = await send(baseline.url, undefined, `bench-large-${format}-baseline`, plan);
      rows.push({ format, target: 'transport', upload, startRss, peakRss: await peakRssOf(baseline.pid) });
    } finally {
      await baseline.stop();
    }
    const folder = path.join(root, `intake-large-${format}`);
    await mkdir(folder, { recursive: true });
    let intake: IntakeProcess | undefined;
    try {
      intake = await startIntakeProcess({
        connection,
        root: folder,
        partners: ['bench-large'],
        env: { LOG_LEVEL: 'info' },
      });
      const startRss = await intake.peakRssBytes();
      ctx.log(`large ${format}: intake`);
      const upload = await send(
        `${intake.url}/v1/bundles`,
        intake.keys.get('bench-large'),
        `bench-large-${format}-${process.pid}`,
        plan,
      );
      rows.push({ format, target: 'intake', upload, startRss, peakRss: await intake.peakRssBytes() });
    } finally {
      const code = await intake?.stop();
      if (code !== undefined && code !== 0)
        ctx.log(`intake exited ${code}:\n${intake?.output().slice(-4000)}`);
      await rm(folder, { recursive: true, force: true });
    }
  }
  return rows;
}

const mib = (bytes: number) => formatInt(bytes / MiB);

function smallTables(measurements: readonly Measurement[]): string {
  const byKey = new Map(measurements.map((m) => [`${m.format}/${m.clients}/${m.target}`, m]));
  const order: Measurement[] = [];
  for (const format of ['multipart', 'zip'] as const)
    for (const clients of [1, 8])
      for (const target of ['transport', 'intake', 'intake-partners'] as const) {
        const m = byKey.get(`${format}/${clients}/${target}`);
        if (m) order.push(m);
      }
  for (const clients of [1, 8]) {
    const m = byKey.get(`none/${clients}/store`);
    if (m) order.push(m);
  }
  const rows = order.map((m) => {
    const s = summary(m);
    return `| ${m.format === 'none' ? '–' : m.format} | ${m.clients} | ${targetLabel[m.target]} | ${formatInt(s.rate)} | ${formatInt(s.rate * filesPerBundle)} | ${formatFixed(s.mediaRate, 2)} | ${formatFixed(s.p50, 1)} | ${formatFixed(s.p99, 1)} |`;
  });
  const ratios: string[] = [];
  for (const format of ['multipart', 'zip'] as const)
    for (const clients of [1, 8]) {
      const intake = byKey.get(`${format}/${clients}/intake`);
      const transport = byKey.get(`${format}/${clients}/transport`);
      const store = byKey.get(`none/${clients}/store`);
      if (!intake || !transport || !store) continue;
      const rate = summary(intake).rate;
      const partners = byKey.get(`${format}/${clients}/intake-partners`);
      ratios.push(
        `| ${format} | ${clients} | ${formatRatio(rate, summary(transport).rate)} | ${formatRatio(rate, summary(store).rate)} | ${partners ? `${formatRatio(summary(partners).rate, summary(transport).rate)} / ${formatRatio(summary(partners).rate, summary(store).rate)}` : '–'} |`,
      );
    }
  return [
    '| Format | Clients | Server | bundles/s | files/s | media MB/s | p50 ms | p99 ms |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'Intake bundles/s as a share of each baseline (same format and client count; above 1 would mean faster than the baseline):',
    '',
    '| Format | Clients | intake / transport | intake / storage | 8 partners: / transport, / storage |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...ratios,
  ].join('\n');
}

function largeTable(rows: readonly LargeRow[]): string {
  const lines = rows.map((row) => {
    const baseline = rows.find((other) => other.format === row.format && other.target === 'transport');
    const rate = row.upload.bodyBytes / row.upload.seconds / 1e6;
    const ratio =
      row.target === 'intake' && baseline
        ? formatRatio(rate, baseline.upload.bodyBytes / baseline.upload.seconds / 1e6)
        : '–';
    const server = row.target === 'intake' ? '**intake**' : 'bare Fastify, drain only';
    const peak = row.target === 'intake' ? `**${mib(row.peakRss)}**` : mib(row.peakRss);
    return `| ${row.format} | ${server} | ${formatFixed(row.upload.bodyBytes / 1e6, 0)} | ${formatFixed(row.upload.seconds, 1)} | ${formatFixed(rate, 0)} | ${ratio} | ${mib(row.startRss)} | ${peak} |`;
  });
  return [
    '| Upload | Server | Body MB | Wall s | MB/s | intake / transport | Peak RSS after start-up MiB | Peak RSS (VmHWM) after the upload MiB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...lines,
  ].join('\n');
}

/**
 * Intake's figures for issue 3: small-bundle throughput over loopback HTTP against a transport
 * and a storage baseline measured in the same run, and one ~1 GiB bundle's wall time and the
 * intake process's peak RSS.
 */
export const intakeSuite: Suite = {
  name: 'intake',
  title: 'Intake: small-bundle throughput over loopback HTTP, and a ~1 GiB bundle',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const bundles = Math.max(20, Math.round(300 * ctx.scale));
    const small: SmallPlan = {
      bundles,
      warmup: Math.max(5, Math.round(bundles / 10)),
      repetitions: ctx.scale >= 0.5 ? 3 : 1,
    };
    const fileBytes = Math.max(MiB, Math.round(128 * MiB * ctx.scale));
    const run = `${process.pid}-${Date.now().toString(36)}`;
    // Each part has its own topics: the large-bundle intake starts with an empty receipt table.
    const connection: KafkaConnection = {
      brokers,
      clientId: 'bench-intake',
      topicPrefix: `bench-intake-${run}.`,
    };
    const largeConnection: KafkaConnection = { ...connection, topicPrefix: `bench-intake-large-${run}.` };
    for (const topics of [connection, largeConnection]) {
      await bootstrapTopics({
        connection: topics,
        topics: [pipelineTopics.bundles, pipelineTopics.bundleStatus],
        replicationFactor: 1,
      });
    }
    const root = await mkdtemp(path.join(tmpdir(), 'bench-intake-'));
    try {
      const smallResult = await measureSmall(ctx, small, connection, root);
      if (smallResult.published !== BigInt(smallResult.sentToIntake)) {
        throw new Error(
          `intake answered 202 to ${smallResult.sentToIntake} new bundles but ${smallResult.published} are on the bundles topic`,
        );
      }
      const images = (await imagePool(3)).slice(0, 3);
      const large = largePlan(8, fileBytes, images);
      const largeRows = await measureLarge(ctx, large, largeConnection, root);
      const intakeLarge = largeRows.filter((row) => row.target === 'intake');
      const worst = Math.max(...intakeLarge.map((row) => row.peakRss));
      const mediaMiB = large.files.reduce((sum, file) => sum + file.size, 0) / MiB;
      const markdown = [
        '### Small bundles',
        '',
        `Each bundle: one report (JSON manifest) with ${filesPerBundle} synthetic PNGs of about ${formatFixed(images.reduce((sum, image) => sum + image.length, 0) / images.length / 1024, 0)} KiB, as`,
        '`multipart/form-data` (manifest part, then the files) or as a ZIP package (`bundle.json` plus',
        'media, deflated). Every bundle has a fresh reference and report id and every image unique bytes, so',
        `each 202 is a new bundle whose files the store does not hold. ${small.bundles} bundles per run after ${small.warmup}`,
        `warm-up bundles, closed loop (each client sends its next bundle once the answer is read), ${small.repetitions} repetition(s)`,
        'interleaved with the baselines; rates are the median run, latencies the percentiles over all runs.',
        'media MB/s counts the image bytes (10^6 bytes per MB).',
        '',
        smallTables(smallResult.measurements),
        '',
        `Intake accepted ${formatInt(smallResult.sentToIntake)} bundles in this part; the bundles topic holds exactly that many`,
        `records afterwards. Intake's peak RSS over the whole small-bundle part: ${mib(smallResult.intakePeakRss)} MiB.`,
        '',
        '### One large bundle',
        '',
        `One report with ${large.files.length} files of ${formatFixed(large.files[0]!.size / MiB, 0)} MiB of seeded pseudo-random bytes (${formatFixed(mediaMiB, 0)} MiB,`,
        `generated as the request body streams, never held whole by the client) plus ${large.images.length} synthetic PNGs, sent once`,
        'as multipart (chunked, no Content-Length) and once as a ZIP package (media stored, the ZIP streamed',
        'by yazl; intake spools it to disk, then reads it). Every server is a fresh process for its upload',
        '(intake on topics of its own, so its receipt table starts empty), and its VmHWM (from',
        '`/proc/<pid>/status`, read once it is ready and again after the answer) is start-up plus the upload. Wall time runs',
        "from the request's start to the 202 read; for intake that includes fsyncing every file into the",
        'content store and committing the bundle and its receipt to Kafka in one transaction.',
        '',
        largeTable(largeRows),
        '',
        `Issue 3's bound, peak RSS under 300 MB for a 1 GB bundle: ${worst < rssLimitBytes ? '**held**' : '**not held**'} (worst intake peak ${formatFixed(worst / 1e6, 0)} MB${fileBytes * large.files.length < 1024 * MiB ? ', but this reduced run sent less than 1 GiB' : ''}).`,
        '`services/intake/src/large-bundle.int.test.ts` asserts it on every test run (1 GiB multipart, stored',
        'sha256 checked against the bytes sent).',
        '',
        '### Method',
        '',
        '- Intake is `node services/intake/src/main.ts` in a child process (`startIntakeProcess` from',
        '  `@triage/intake/testing`): its own temp content store and spool folder, a partners file with',
        '  bench partners whose rate limit is 1 000 000 per minute, `LOG_LEVEL=info` (one access line per',
        '  request, as deployed), topics under a fresh prefix on the local broker (created with',
        '  `bootstrapTopics`, RF 1, deleted afterwards), and `INTAKE_MAX_PENDING_BUNDLES` high since no',
        '  splitter reads the bundles, and `INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER=8` so that one partner',
        "  may have all 8 clients' uploads in flight (the default cap is 4). Before each 202 intake has",
        '  fsynced the files into the store and had',
        '  the bundle and its receipt committed to Kafka in one transaction (acks=all).',
        '- Transport baseline: `bench/intake/worker.ts`, a bare Fastify in its own process with',
        "  intake's body set-up (`@fastify/multipart`, other bodies unparsed) that drains each upload and",
        '  answers 202: the HTTP + multipart ceiling for the same bodies.',
        '- Storage baseline: `ContentStore.put` of the same files (fresh unique bytes too), one after the',
        '  other per bundle, in the suite process: the fsync-per-file ceiling of the store on this disk.',
        '- "8 partners": the same 8 clients each with its own partner key. Intake serialises version numbering',
        '  and publishing per partner (the media commit runs outside that lock), so with one partner the',
        '  clients queue there for the publishing part.',
        '- Client: Node `fetch` (undici, keep-alive) in the suite process. Client, servers and the Kafka',
        '  broker share the same 2 cores, so absolute numbers are a floor; the ratios are the point.',
      ].join('\n');
      return {
        markdown,
        facts: [
          { name: 'Intake', value: '`services/intake/src/main.ts` as a child process, LOG_LEVEL=info' },
          {
            name: 'Baselines',
            value: `fastify ${packageVersion('fastify')} + @fastify/multipart ${packageVersion('@fastify/multipart')} (drain only); \`ContentStore.put\``,
          },
          { name: 'Kafka', value: `${brokers.join(',')}, RF 1, topics under a fresh prefix` },
          { name: 'Disk', value: `temp folders under ${tmpdir()}` },
        ],
      };
    } finally {
      await rm(root, { recursive: true, force: true });
      await deletePrefixedTopics(connection, 'bench-intake-cleanup');
      await deletePrefixedTopics(largeConnection, 'bench-intake-cleanup');
    }
  },
};
