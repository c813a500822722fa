import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { commonEnv, loadConfig, opsPortDefaults } from '@triage/config';
import { TriageError } from '@triage/errors';
import { type GroundTruth, generateFeed, type HosterTruth, hosterTruthPath } from '@triage/feed';
import { importHashList } from '@triage/hash-lists';
import { fetchKafkaMetadata, stackDown, stackUp } from '@triage/local-stack';
import { allTopics, baseClientOptions, bootstrapTopics, connectionFromConfig } from '@triage/messaging';
import {
  createPartnerKey,
  type PartnerScope,
  readPartnersFile,
  withKey,
  writePartnersFile,
} from '@triage/partners';
import { createSearchClient, ensureSearchIndices, indexNames, searchIndices } from '@triage/search';
import { consoleDirOf } from '@triage/triage-api/config';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { defaultTakedowns } from './feed.ts';
import { pushFeed } from './feed-push.ts';
import { failIfExited, type RunningService, startServices, stopProcess } from './service-process.ts';
import { parsePort } from './stack.ts';
import { stageLags } from './stage-groups.ts';
import {
  parseUpState,
  readiness,
  serializeUpState,
  servicePlan,
  stopOrder,
  type UpState,
  upServices,
} from './up-plan.ts';

const servicesDir = fileURLToPath(new URL('../../../', import.meta.url));
const defaultStateFile = '.data/up/services.json';
/** The demo feed's seed: the same reports on every run, so a second run finds them indexed already. */
const demoSeed = 2026;

interface UpFlags {
  demo: string;
  detach?: boolean;
  dir?: string;
  state?: string;
  intakePort?: string;
  apiPort?: string;
  timeout: string;
}

/** `triage up` and `triage down`: the whole system with a demo feed, and stopping what `up` started. */
export function registerUpCommands(program: Command): void {
  program
    .command('up')
    .description(
      'Run the whole system: the stack (unless running), topics, index templates, every service ' +
        '(logs in <dir>/logs) and a generated demo feed pushed through intake; waits until its cases are searchable',
    )
    .option('--demo <n>', 'reports in the demo feed', '40')
    .option(
      '--detach',
      'return once the cases are searchable, leaving the services running (`triage down` stops them)',
    )
    .option(
      '--dir <path>',
      'demo folder: feed, partner keys, content, spool, logs (env TRIAGE_DEMO_DIR, .data/demo)',
    )
    .option('--state <file>', `where --detach records the services (default ${defaultStateFile})`)
    .option('--intake-port <port>', 'intake HTTP port (env INTAKE_PORT, 8080)')
    .option('--api-port <port>', 'triage API HTTP port (env TRIAGE_API_PORT, 8081)')
    .option('--timeout <seconds>', 'give up waiting for searchable cases after this long', '600')
    .action(async (flags: UpFlags) => {
      await up(flags);
    });

  program
    .command('down')
    .description(
      'Stop what `triage up --detach` started: the services in reverse order, then the stack if up started it',
    )
    .option('--state <file>', `the state file up wrote (default ${defaultStateFile})`)
    .action(async (flags: { state?: string }) => {
      await down(stateFileOf(flags.state));
    });
}

function stateFileOf(flag: string | undefined): string {
  return path.resolve(flag ?? defaultStateFile);
}

async function up(flags: UpFlags): Promise<void> {
  const reports = z.coerce.number().int().min(1).max(10_000).parse(flags.demo);
  const timeoutMs = z.coerce.number().positive().parse(flags.timeout) * 1000;
  const stateFile = stateFileOf(flags.state);
  if (existsSync(stateFile)) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `${stateFile} exists: services of an earlier \`triage up --detach\` may still run; \`triage down\` first`,
    );
  }
  // The console is part of what `up` brings up: without its bundle, say so before starting anything.
  const consoleShell = path.join(consoleDirOf(process.env), 'index.html');
  if (!existsSync(consoleShell)) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `the web console is not built (no ${consoleShell}): run \`pnpm console:build\` first (scripts/run.sh does)`,
    );
  }
  const demoDir = path.resolve(flags.dir ?? process.env.TRIAGE_DEMO_DIR ?? '.data/demo');
  const intakePort = parsePort(flags.intakePort, '--intake-port') ?? Number(process.env.INTAKE_PORT || 8080);
  const apiPort = parsePort(flags.apiPort, '--api-port') ?? Number(process.env.TRIAGE_API_PORT || 8081);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONTENT_STORE_ROOT: process.env.CONTENT_STORE_ROOT || path.join(demoDir, 'content'),
    INTAKE_PARTNERS_FILE: process.env.INTAKE_PARTNERS_FILE || path.join(demoDir, 'partners.json'),
    INTAKE_SPOOL_DIR: process.env.INTAKE_SPOOL_DIR || path.join(demoDir, 'spool'),
    INTAKE_RECLAIM_DIR: process.env.INTAKE_RECLAIM_DIR || path.join(demoDir, 'reclaim'),
    // The demo is development: the scorer may key suspect identifiers with the public development key.
    SUSPECT_ID_HMAC_DEVELOPMENT_KEY: process.env.SUSPECT_ID_HMAC_DEVELOPMENT_KEY || 'true',
    INTAKE_PORT: String(intakePort),
    TRIAGE_API_PORT: String(apiPort),
  };
  const config = loadConfig(commonEnv, env);
  const connection = connectionFromConfig(config);
  const started = performance.now();

  const stackStartedByUp = await ensureStack(
    config.KAFKA_BROKERS[0] ?? '127.0.0.1:9092',
    config.ELASTICSEARCH_URL,
  );
  const topics = await bootstrapTopics({ connection, topics: allTopics, replicationFactor: 1 });
  console.log(`topics: created ${topics.created.length}, existing ${topics.existing.length}`);
  const search = createSearchClient({ url: config.ELASTICSEARCH_URL });
  try {
    await ensureSearchIndices({ client: search, prefix: config.KAFKA_TOPIC_PREFIX, replicas: 0 });
    console.log('index templates and aliases: ready');

    const feedDir = path.join(demoDir, `feed-${reports}`);
    const { truth, hosters } = await demoFeed(feedDir, reports);
    const keysFile = path.join(demoDir, 'keys.json');
    const hotlineKeysFile = path.join(demoDir, 'hotline-keys.json');
    const partnersFile = String(env.INTAKE_PARTNERS_FILE);
    await ensureKeys({
      partnerIds: truth.partners.map((partner) => partner.partnerId),
      keysFile,
      partnersFile,
      keyId: 'k-demo',
    });
    // The hotlines' takedown events go with a key of the hotline scope, beside their bundle key.
    await ensureKeys({
      partnerIds: hosters.partners.map((partner) => partner.partnerId),
      keysFile: hotlineKeysFile,
      partnersFile,
      keyId: 'k-demo-hotline',
      scopes: ['hotline'],
    });
    const imported = await importHashList({
      file: path.join(feedDir, 'known-hashes.csv'),
      list: 'demo-known',
      version: `feed-${demoSeed}-${reports}`,
      dryRun: false,
      connection,
      mode: 'replace',
      format: 'csv',
      caseExport: 'reject',
      batchSize: 1000,
    });
    console.log(`demo hash list: ${imported.counts.entries} entries`);

    const logDir = path.join(demoDir, 'logs');
    await mkdir(logDir, { recursive: true });
    const running = startServices(servicePlan({ servicesDir, logDir }), env);
    const state: UpState = {
      version: 1,
      startedAt: new Date().toISOString(),
      demoDir,
      stackStartedByUp,
      services: running.map(({ service, pid }) => ({ ...service, pid })),
    };
    // Written before the wait, so `down` can stop what started even when the wait fails.
    await mkdir(path.dirname(stateFile), { recursive: true });
    await writeFile(stateFile, serializeUpState(state));
    const stopOnSignal = () => void stopAndExit(stateFile, state, 130);
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    try {
      await waitReady(`http://127.0.0.1:${intakePort}/readyz`, 'intake', running);
      await waitReady(`http://127.0.0.1:${apiPort}/healthz`, 'triage-api', running);
      const pushed = await pushFeed({
        dir: feedDir,
        keysFile,
        hotlineKeysFile,
        intakeUrl: `http://127.0.0.1:${intakePort}`,
        concurrency: 2,
        maxRetries: 20,
      });
      console.log(
        `pushed: ${pushed.accepted} packages accepted, ${pushed.refused} refused, ${pushed.files} files`,
      );
      const takedowns = pushed.takedowns;
      console.log(
        `takedowns: ${takedowns?.sent ?? 0} events sent (${takedowns?.recorded ?? 0} recorded, ${takedowns?.duplicates ?? 0} already there)`,
      );
      if (takedowns === null || takedowns.refused > 0) {
        // Without its takedown month the demo's hoster pages would be empty: say so, never continue silently.
        throw new TriageError(
          'TRIAGE_CONFIG_INVALID',
          'intake refused the demo takedown events (the line above says why); the hoster figures would be empty',
        );
      }
      await waitSearchable({
        search,
        alias: indexNames(config.KAFKA_TOPIC_PREFIX, searchIndices.cases).alias,
        reportIds: truth.reports.map((report) => report.reportId),
        admin: new Admin(baseClientOptions(connection, 'up')),
        connection,
        running,
        timeoutMs,
        refusedPackages: pushed.refused,
      });
    } catch (error) {
      if (!flags.detach) await stopServices(stateFile, state);
      throw error;
    }
    console.log(
      `\n${reports} demo cases searchable in ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
        `  console      http://127.0.0.1:${apiPort}/  (sign in with a role: development login)\n` +
        `  triage API   http://127.0.0.1:${apiPort}  (OpenAPI: /openapi.json)\n` +
        '  a token      pnpm triage token --role analyst   (send it as Authorization: Bearer <token>)\n' +
        `  intake       http://127.0.0.1:${intakePort}\n` +
        `  ops ports    ${opsPorts(env)}  (/healthz, /readyz, /metrics; deploy/README.md)\n` +
        `  logs         ${logDir}\n` +
        `  feed         ${feedDir} (ground-truth.json says what each report should be; ${hosterTruthPath} each hoster's figures)`,
    );
    if (flags.detach) {
      for (const child of running) child.process.unref();
      process.removeListener('SIGINT', stopOnSignal);
      process.removeListener('SIGTERM', stopOnSignal);
      console.log(`services left running (pids in ${stateFile}); \`pnpm triage down\` stops them`);
      return;
    }
    console.log('the services run until Ctrl-C, which stops them in order');
    await new Promise(() => {});
  } finally {
    await search.close();
  }
}

/**
 * Starts the stack unless Kafka and Elasticsearch already answer at the configured addresses (a
 * shared stack, another checkout's): true only when this run started a server, so `down` knows.
 */
async function ensureStack(broker: string, elasticsearchUrl: string): Promise<boolean> {
  if (await serving(broker, elasticsearchUrl)) {
    console.log('stack: Kafka and Elasticsearch already running (left alone)');
    return false;
  }
  const result = await stackUp({ onProgress: (event) => console.log(`[${event.server}] ${event.message}`) });
  const servers = [...(result.kafka?.servers ?? []), ...(result.elasticsearch?.servers ?? [])];
  console.log(`stack: ready in ${(result.totalMs / 1000).toFixed(1)} s`);
  return servers.some((server) => !server.reused);
}

/** Each service's ops port as it was started (`<SERVICE>_OPS_PORT`, else its default). */
function opsPorts(env: NodeJS.ProcessEnv): string {
  return upServices
    .map(
      (name) => `${name} ${env[`${name.toUpperCase().replace('-', '_')}_OPS_PORT`] || opsPortDefaults[name]}`,
    )
    .join(', ');
}

async function serving(broker: string, elasticsearchUrl: string): Promise<boolean> {
  const [host = '127.0.0.1', port = '9092'] = broker.split(':');
  try {
    await fetchKafkaMetadata({ host, port: Number(port) }, [], 2000);
    // Any HTTP answer means a server holds the port: starting another one there would fail.
    await fetch(new URL('_cluster/health', elasticsearchUrl), { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** The demo feed with its takedown month, generated once per size and reused: a second run sends the same bundles and events. */
async function demoFeed(
  feedDir: string,
  reports: number,
): Promise<{ truth: GroundTruth; hosters: HosterTruth }> {
  const truthFile = path.join(feedDir, 'ground-truth.json');
  const hostersFile = path.join(feedDir, hosterTruthPath);
  // A feed from before takedown months has no hoster truth: made again.
  if (!existsSync(truthFile) || !existsSync(hostersFile)) {
    await rm(feedDir, { recursive: true, force: true });
    const result = await generateFeed({
      seed: demoSeed,
      reports,
      out: feedDir,
      format: 'zip',
      maxFiles: 200,
      takedowns: defaultTakedowns,
    });
    console.log(
      `demo feed: ${result.counts.reports} reports in ${result.counts.packages} packages, ${result.counts.files} files; ` +
        `${result.takedowns?.events ?? 0} takedown events`,
    );
  }
  return {
    truth: JSON.parse(await readFile(truthFile, 'utf8')) as GroundTruth,
    hosters: JSON.parse(await readFile(hostersFile, 'utf8')) as HosterTruth,
  };
}

const keysSchema = z.record(z.string(), z.string().min(1));

interface DemoKeys {
  readonly partnerIds: readonly string[];
  /** Where the secrets go (0600), `{ "<partnerId>": "<key>" }`. */
  readonly keysFile: string;
  /** Intake's partners file, where their hashes go. */
  readonly partnersFile: string;
  readonly keyId: string;
  /** Left out: the partners file's default (bundles). */
  readonly scopes?: PartnerScope[];
}

/** One key per partner, made once: the secret in `keysFile`, its hash in intake's partners file. */
async function ensureKeys(demo: DemoKeys): Promise<void> {
  const { keysFile, partnersFile } = demo;
  const keys = existsSync(keysFile) ? keysSchema.parse(JSON.parse(await readFile(keysFile, 'utf8'))) : {};
  const missing = demo.partnerIds.filter((id) => keys[id] === undefined);
  if (missing.length === 0) return;
  let partners = await readPartnersFile(partnersFile);
  for (const partnerId of missing) {
    const { key, sha256 } = createPartnerKey();
    partners = withKey(partners, partnerId, {
      id: demo.keyId,
      sha256,
      ...(demo.scopes === undefined ? {} : { scopes: demo.scopes }),
    });
    keys[partnerId] = key;
  }
  await writePartnersFile(partnersFile, partners);
  await writeFile(keysFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
}

async function waitReady(url: string, name: string, running: readonly RunningService[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    failIfExited(running);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new TriageError('TRIAGE_DEPENDENCY_TIMEOUT', `${name} not ready at ${url} after 60 s`);
    }
    await sleep(500);
  }
}

interface SearchableWait {
  search: ReturnType<typeof createSearchClient>;
  alias: string;
  reportIds: readonly string[];
  admin: Admin;
  connection: ReturnType<typeof connectionFromConfig>;
  running: readonly RunningService[];
  timeoutMs: number;
  refusedPackages: number;
}

/** Polls the cases alias until every report of the feed is a case there, with a progress bar. */
async function waitSearchable(wait: SearchableWait): Promise<void> {
  const started = Date.now();
  let idleSince = started;
  const bar = new cliProgress.SingleBar(
    { format: 'searchable {bar} {value}/{total} cases | {lag}', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(wait.reportIds.length, 0, { lag: '' });
  try {
    for (;;) {
      failIfExited(wait.running);
      const { count } = await wait.search.count({
        index: wait.alias,
        query: {
          bool: { filter: [{ term: { hasCase: true } }, { terms: { reportId: [...wait.reportIds] } }] },
        },
      });
      const lags = await stageLags(wait.admin, wait.connection);
      bar.update(count, {
        lag: lags
          .filter((lag) => lag.pending > 0)
          .map((lag) => `${lag.stage} ${lag.pending}`)
          .join(' '),
      });
      if (lags.some((lag) => lag.pending > 0)) idleSince = Date.now();
      const decision = readiness({
        searchable: count,
        expected: wait.reportIds.length,
        lags,
        elapsedMs: Date.now() - started,
        timeoutMs: wait.timeoutMs,
        refusedPackages: wait.refusedPackages,
        idleMs: Date.now() - idleSince,
      });
      if (decision.state === 'ready') return;
      if (decision.state === 'stuck') throw new TriageError('TRIAGE_PIPELINE_BEHIND', decision.message);
      await sleep(1000);
    }
  } finally {
    bar.stop();
    await wait.admin.close();
  }
}

async function stopAndExit(stateFile: string, state: UpState, code: number): Promise<void> {
  await stopServices(stateFile, state);
  process.exit(code);
}

/** SIGTERM to each service in reverse start order, waiting for it to drain and exit (SIGKILL after 30 s). */
async function stopServices(stateFile: string, state: UpState): Promise<void> {
  console.log('\nstopping the services (each drains and commits)');
  for (const service of stopOrder(state.services)) {
    const how = await stopProcess(service.pid, service.script);
    console.log(`${service.name} (pid ${service.pid}) ${how}`);
  }
  await rm(stateFile, { force: true });
}

async function down(stateFile: string): Promise<void> {
  if (!existsSync(stateFile)) {
    console.log(`nothing to stop: no ${stateFile}`);
    return;
  }
  const state = parseUpState(await readFile(stateFile, 'utf8'), stateFile);
  await stopServices(stateFile, state);
  if (state.stackStartedByUp) {
    const result = await stackDown({
      onProgress: (event) => console.log(`[${event.server}] ${event.message}`),
    });
    for (const server of result.stopped) console.log(`${server.name} (pid ${server.pid}) ${server.how}`);
  } else {
    console.log('the stack was running before `up`: left alone');
  }
}
