import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TriageError } from '@triage/errors';
import { type DetachedProcess, removePidFile, spawnDetached } from './process-control.ts';
import { runCommand, runCommandOrFail } from './run-command.ts';
import { type ElasticsearchFiles, makeWorldReadableDir } from './stack-layout.ts';

/**
 * Elasticsearch from the integ-test-zip, single node on 127.0.0.1, security off. It refuses
 * to run as root, so a root caller runs it as a system user (created on first use) through
 * `runuser`; its config, data, logs and tmp dirs belong to that user.
 */

export interface ElasticsearchState {
  version: string;
  port: number;
  transportPort: number;
  user: string | undefined;
  distDir: string;
  createdAt: string;
}

export interface ElasticsearchSettings {
  port: number;
  transportPort: number;
  dataDir: string;
  logsDir: string;
}

/**
 * elasticsearch.yml. Only settings of the modules the integ-test-zip has: an unknown setting
 * (xpack.ml.enabled, ingest.geoip.*) aborts startup.
 */
export function elasticsearchYml(settings: ElasticsearchSettings): string {
  const entries: Array<[string, string | number | boolean]> = [
    ['cluster.name', 'triage-local'],
    ['node.name', 'triage-local-1'],
    ['path.data', settings.dataDir],
    ['path.logs', settings.logsDir],
    ['network.host', '127.0.0.1'],
    ['http.port', settings.port],
    ['transport.port', settings.transportPort],
    ['discovery.type', 'single-node'],
    ['xpack.security.enabled', false],
    // A nearly full disk must not turn indices read-only under a test run.
    ['cluster.routing.allocation.disk.threshold_enabled', false],
    // Lets test cleanup delete indices by pattern (DELETE /test-*).
    ['action.destructive_requires_name', false],
  ];
  return [
    '# Written by @triage/local-stack on every start.',
    ...entries.map(
      ([key, value]) => `${key}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    ),
    '',
  ].join('\n');
}

/** The user Elasticsearch runs as: a system user when we are root, else ourselves (undefined). */
export async function ensureServiceUser(name: string): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const exists = await runCommand('id', ['-u', name]);
  if (exists.code === 0) return name;
  const shell = ['/usr/sbin/nologin', '/sbin/nologin'].find((path) => existsSync(path)) ?? '/bin/false';
  await runCommandOrFail(`creating system user ${name} for Elasticsearch`, 'useradd', [
    '--system',
    '--no-create-home',
    '--home-dir',
    '/nonexistent',
    '--shell',
    shell,
    name,
  ]);
  return name;
}

export function readElasticsearchState(stateFile: string): ElasticsearchState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as ElasticsearchState;
  } catch {
    return undefined;
  }
}

/**
 * Creates the run dir: a copy of the distribution's config (made once; the integ-test-zip's own
 * config dir must stay pristine) with our elasticsearch.yml, and data/logs/tmp owned by `user`.
 */
export async function prepareElasticsearch(input: {
  files: ElasticsearchFiles;
  distDir: string;
  version: string;
  port: number;
  transportPort: number;
  user: string | undefined;
}): Promise<void> {
  const { files } = input;
  makeWorldReadableDir(files.dir);
  const previous = readElasticsearchState(files.stateFile);
  // Another version's jvm.options and log4j2.properties may not fit this one: copy afresh.
  if (previous !== undefined && previous.version !== input.version) {
    rmSync(files.configDir, { recursive: true, force: true });
  }
  if (!existsSync(join(files.configDir, 'jvm.options'))) {
    cpSync(join(input.distDir, 'config'), files.configDir, { recursive: true });
  }
  for (const dir of [files.dataDir, files.logsDir, files.tmpDir]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(files.configDir, 'elasticsearch.yml'),
    elasticsearchYml({
      port: input.port,
      transportPort: input.transportPort,
      dataDir: files.dataDir,
      logsDir: files.logsDir,
    }),
  );
  const state: ElasticsearchState = {
    ...(previous ?? { createdAt: new Date().toISOString() }),
    version: input.version,
    port: input.port,
    transportPort: input.transportPort,
    user: input.user,
    distDir: input.distDir,
  };
  writeFileSync(files.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  removePidFile(files.pidFile);
  if (input.user !== undefined) {
    await runCommandOrFail(`giving ${input.user} its Elasticsearch dirs`, 'chown', [
      '-R',
      `${input.user}:`,
      files.configDir,
      files.dataDir,
      files.logsDir,
      files.tmpDir,
    ]);
    // Elasticsearch writes its pid file into the run dir itself.
    await runCommandOrFail(`giving ${input.user} the run dir`, 'chown', [`${input.user}:`, files.dir]);
  }
}

/**
 * Starts the launcher with `-d -p <pid file>`: it forks the server JVM, waits until the node has
 * started, then exits 0 (or non-zero with the reason in launcher.log). The server writes the pid file.
 */
export function startElasticsearchProcess(input: {
  files: ElasticsearchFiles;
  distDir: string;
  javaHome: string;
  heapMb: number;
  user: string | undefined;
}): DetachedProcess {
  const { files } = input;
  const launcher = join(input.distDir, 'bin', 'elasticsearch');
  if (!existsSync(launcher)) throw new TriageError('TRIAGE_STACK_START_FAILED', `${launcher} is missing`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ES_JAVA_HOME: input.javaHome,
    ES_PATH_CONF: files.configDir,
    ES_TMPDIR: files.tmpDir,
    ES_JAVA_OPTS: `-Xms${input.heapMb}m -Xmx${input.heapMb}m`,
  };
  const args = ['-d', '-p', files.pidFile];
  return input.user === undefined
    ? spawnDetached({ command: launcher, args, env, cwd: files.logsDir, logFile: files.launcherLogFile })
    : spawnDetached({
        command: 'runuser',
        args: ['-u', input.user, '--', launcher, ...args],
        env,
        cwd: files.logsDir,
        logFile: files.launcherLogFile,
      });
}

/**
 * The command-line fragment that identifies the server JVM. Its config dir reaches it on stdin,
 * not argv; the per-run tmp dir (ES_TMPDIR, through jvm.options) is on its command line.
 */
export function elasticsearchMarker(files: ElasticsearchFiles): string {
  return `-Djava.io.tmpdir=${files.tmpDir}`;
}
