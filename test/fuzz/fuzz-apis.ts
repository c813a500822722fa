// `pnpm fuzz`: the three OpenAPI documents fuzzed by schemathesis (every check on) through the live
// APIs with real credentials, on topics and indices of a fresh prefix removed afterwards. Not in
// CI: a run takes minutes. scripts/fuzz-apis.sh installs schemathesis and passes its path.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from '@triage/content-store';
import { type RunningHashCheck, startHashCheck } from '@triage/hash-check/testing';
import { sendTakedowns, startHosterMonitor, takedownEvent } from '@triage/hoster-monitor/testing';
import { createHosterKey, withHosterKey, writeHostersFile } from '@triage/hosters';
import { type IntakeProcess, startIntakeProcess } from '@triage/intake/testing';
import { bootstrapTopics, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { createCodec, recordExamples } from '@triage/schemas';
import { createSearchClient, indexPrefix, type SearchClient } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import {
  itemCarrying,
  seedCases,
  startTriageApiProcess,
  type TriageApiProcess,
} from '@triage/triage-api/testing';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const schemathesis = process.env.SCHEMATHESIS_BIN ?? path.join(repoRoot, '.fuzz', 'venv', 'bin', 'st');
const reportRoot = path.join(repoRoot, '.fuzz', 'reports');
/** Test cases per operation and phase: a run of the three APIs stays within a few minutes. */
const maxExamples = process.env.FUZZ_MAX_EXAMPLES ?? '50';
const seed = process.env.FUZZ_SEED ?? '15';
const only = process.env.FUZZ_ONLY?.split(',');
/** More `st run` options, e.g. `--include-path-regex /actions --output-sanitize false` to see one finding's values. */
const extraArgs = process.env.FUZZ_ST_ARGS?.split(' ').filter(Boolean) ?? [];

interface Target {
  readonly name: string;
  readonly document: string;
  readonly url: string;
  readonly authorization: string;
  /** Only the operations whose path matches (`--include-path-regex`). */
  readonly paths?: string;
  /** A schemathesis.toml giving operations fixed parameter values (real ids of seeded data). */
  readonly config?: string;
}

interface Outcome {
  readonly name: string;
  readonly exitCode: number;
  readonly summary: string;
}

/** Runs `st run` on one API; its own output goes to the terminal and to `<report>/<name>/output.txt`. */
async function fuzz(target: Target): Promise<Outcome> {
  const dir = path.join(reportRoot, target.name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const args = [
    ...(target.config === undefined ? [] : ['--config-file', target.config]),
    'run',
    path.join(repoRoot, 'docs', 'openapi', target.document),
    '--url',
    target.url,
    '--checks',
    'all',
    '--header',
    `Authorization: ${target.authorization}`,
    '--max-examples',
    maxExamples,
    '--seed',
    seed,
    '--workers',
    '2',
    '--continue-on-failure',
    '--report',
    'junit,ndjson',
    '--report-dir',
    dir,
    '--output-sanitize',
    'true',
    '--no-color',
    ...(target.paths === undefined ? [] : ['--include-path-regex', target.paths]),
    ...extraArgs,
  ];
  process.stdout.write(
    `\n== ${target.name}: st ${args.join(' ').replace(target.authorization, '<credential>')}\n`,
  );
  // In .fuzz: schemathesis keeps its cache of found failures in its working folder.
  const child = spawn(schemathesis, args, {
    cwd: path.dirname(reportRoot),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    process.stdout.write(chunk);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const output = Buffer.concat(chunks).toString('utf8');
  await writeFile(path.join(dir, 'output.txt'), output);
  const summaryAt = output.lastIndexOf('SUMMARY');
  return {
    name: target.name,
    exitCode: code ?? 1,
    summary: summaryAt < 0 ? output.slice(-2_000) : output.slice(summaryAt),
  };
}

async function hostersFile(root: string): Promise<{ file: string; key: string }> {
  const made = createHosterKey();
  const content = withHosterKey(
    { hosters: [] },
    'fuzz-hoster',
    { id: 'k1', sha256: made.sha256 },
    {
      lists: ['police-confirmed'],
      pdqMaxDistance: 31,
      category: true,
    },
  );
  // The fuzzer's own pace, not a hoster's default limit, decides what it reaches.
  const unlimited = {
    hosters: content.hosters.map((hoster) => ({
      ...hoster,
      rateLimit: { max: 1_000_000, timeWindow: 60_000 },
    })),
  };
  const file = path.join(root, 'hosters.json');
  await writeHostersFile(file, unlimited);
  return { file, key: made.key };
}

/** The seeded run's data: a case with a stored file, and a hoster with a notice case. */
const seededAsn = 60781;
const mediaBytes = Buffer.from('synthetic media bytes for the seeded fuzz run');
const mediaSha256 = createHash('sha256').update(mediaBytes).digest('hex');

/**
 * Seeds what the five operations that only ever answered 404 need (a case, its stored file, a
 * hoster's notice case) and writes the schemathesis.toml that gives them those ids.
 */
async function seedForFuzzing(options: {
  connection: KafkaConnection;
  search: SearchClient;
  prefix: string;
  contentRoot: string;
  root: string;
}): Promise<string> {
  const exampleCase = recordExamples.Case;
  await new ContentStore({ root: options.contentRoot }).put(Readable.from([mediaBytes]));
  await seedCases(options.search, options.prefix, [
    {
      reportId: exampleCase.reportId,
      case: exampleCase,
      items: [itemCarrying(exampleCase.reportId, mediaSha256, true)],
    },
  ]);
  // A notice to a Leaseweb address (the bundled databases attribute it), folded by the hoster monitor.
  const codec = createCodec();
  const at = Date.now() - 3_600_000;
  const url = 'https://files1.example.invalid/item';
  await sendTakedowns(options.connection, codec, [
    takedownEvent({
      eventId: 'fuzz-n1-notice',
      type: 'notice_sent',
      noticeId: 'fuzz-n1',
      url,
      ip: '95.211.0.10',
      at,
    }),
  ]);
  const monitor = await startHosterMonitor({
    connection: options.connection,
    codec,
    client: options.search,
    groupId: `${options.connection.topicPrefix}fuzz-hoster-monitor`,
  });
  try {
    await monitor.consumed(1);
  } finally {
    await monitor.stop();
  }
  const operation = (name: string, parameters: Record<string, string | number>) =>
    [
      '[[operations]]',
      `include-name = "${name}"`,
      `parameters = { ${Object.entries(parameters)
        .map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
        .join(', ')} }`,
      '',
    ].join('\n');
  const file = path.join(options.root, 'seeded.toml');
  await writeFile(
    file,
    [
      operation('GET /v1/cases/{reportId}', { reportId: exampleCase.reportId }),
      operation('GET /v1/media/{sha256}/preview', { sha256: mediaSha256 }),
      operation('POST /v1/media/{sha256}/reveal', { sha256: mediaSha256 }),
      operation('GET /v1/hosters/{asn}', { asn: seededAsn }),
      operation('GET /v1/hosters/{asn}/evidence', { asn: seededAsn }),
    ].join('\n'),
  );
  return file;
}

async function main(): Promise<void> {
  const topicPrefix = `fuzz-${Date.now()}-`;
  const connection: KafkaConnection = {
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clientId: 'fuzz-apis',
    topicPrefix,
  };
  await bootstrapTopics({
    connection,
    topics: [
      pipelineTopics.bundles,
      pipelineTopics.bundleStatus,
      pipelineTopics.takedowns,
      pipelineTopics.audit,
      pipelineTopics.triageActions,
      pipelineTopics.hashsets,
    ],
    replicationFactor: 1,
  });
  const root = await mkdtemp(path.join(tmpdir(), 'fuzz-apis-'));
  const search = createSearchClient({ url: elasticsearchUrl });
  const prefix = indexPrefix(topicPrefix);
  let intake: IntakeProcess | undefined;
  let triage: TriageApiProcess | undefined;
  let hashCheck: RunningHashCheck | undefined;
  const outcomes: Outcome[] = [];
  try {
    const wanted = (name: string) => only === undefined || only.includes(name);
    if (wanted('intake')) {
      intake = await startIntakeProcess({
        connection,
        root: path.join(root, 'intake'),
        partners: ['fuzz-partner'],
        scopes: { 'fuzz-partner': ['bundles', 'hotline'] },
      });
      const key = intake.keys.get('fuzz-partner')!;
      outcomes.push(
        await fuzz({
          name: 'intake',
          document: 'intake.json',
          url: intake.url,
          authorization: `Bearer ${key}`,
        }),
      );
      await intake.stop();
    }
    if (wanted('triage-api') || wanted('triage-api-auditor') || wanted('triage-api-seeded')) {
      const contentRoot = path.join(root, 'content');
      await seedCases(search, prefix, []);
      triage = await startTriageApiProcess({
        connection,
        elasticsearchUrl,
        authDir: path.join(root, 'auth'),
        env: { CONTENT_STORE_ROOT: contentRoot },
      });
      if (wanted('triage-api')) {
        // The supervisor reaches every analyst route and the supervisors' own.
        const authorization = await triage.bearer('supervisor');
        outcomes.push(
          await fuzz({ name: 'triage-api', document: 'triage.json', url: triage.url, authorization }),
        );
      }
      if (wanted('triage-api-auditor')) {
        // The auditors' own routes, which answer a supervisor 403 only.
        outcomes.push(
          await fuzz({
            name: 'triage-api-auditor',
            document: 'triage.json',
            url: triage.url,
            authorization: await triage.bearer('auditor'),
            paths: '^/v1/audit',
          }),
        );
      }
      if (wanted('triage-api-seeded')) {
        // The five operations that answer 404 on empty indices, given real ids of seeded data.
        const config = await seedForFuzzing({ connection, search, prefix, contentRoot, root });
        outcomes.push(
          await fuzz({
            name: 'triage-api-seeded',
            document: 'triage.json',
            url: triage.url,
            authorization: await triage.bearer('supervisor'),
            paths: '^/v1/(cases/\\{reportId\\}$|media/|hosters/\\{asn\\})',
            config,
          }),
        );
      }
      await triage.stop();
    }
    if (wanted('hash-check')) {
      const hosters = await hostersFile(root);
      hashCheck = await startHashCheck({ connection, hostersFile: hosters.file });
      outcomes.push(
        await fuzz({
          name: 'hash-check',
          document: 'hash-check.json',
          url: hashCheck.url,
          authorization: `Bearer ${hosters.key}`,
        }),
      );
    }
  } finally {
    await intake?.stop();
    await triage?.stop();
    await hashCheck?.close();
    await deletePrefixedIndices(search, prefix);
    await search.close();
    await deletePrefixedTopics(connection, 'fuzz-apis-cleanup');
    await rm(root, { recursive: true, force: true });
  }
  const lines = ['# schemathesis findings', ''];
  for (const outcome of outcomes) {
    lines.push(`## ${outcome.name} (exit ${outcome.exitCode})`, '', '```', outcome.summary.trim(), '```', '');
  }
  const reportFile = path.join(reportRoot, 'summary.md');
  await writeFile(reportFile, lines.join('\n'));
  process.stdout.write(
    `\n${await readFile(reportFile, 'utf8')}\nreport: ${path.relative(repoRoot, reportFile)}\n`,
  );
  process.exitCode = outcomes.every((outcome) => outcome.exitCode === 0) ? 0 : 1;
}

await main();
