import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TriageError } from '@triage/errors';
import {
  elasticsearchMarker,
  ensureServiceUser,
  prepareElasticsearch,
  readElasticsearchState,
  startElasticsearchProcess,
} from './elasticsearch-server.ts';
import { findJavaHome } from './java-home.ts';
import { ensureElasticsearchDist } from './maven-fetch.ts';
import type { ResolvedStackOptions } from './options.ts';
import { livePid, removePidFile, residentKb, stopProcess } from './process-control.ts';
import { elasticsearchNotReadyReason, portAnswers, waitUntilReady } from './readiness.ts';
import { type ElasticsearchFiles, elasticsearchBaseDir, elasticsearchFiles } from './stack-layout.ts';
import type { ElasticsearchUpResult, ServerStatus, StoppedServer } from './types.ts';

/** Starting, checking and stopping the Elasticsearch node. Callers hold the stack lock. */

/** Every Elasticsearch run dir the stack knows (one per HTTP port started at least once). */
function knownNodes(options: ResolvedStackOptions): ElasticsearchFiles[] {
  const baseDir = elasticsearchBaseDir(options.stackDir);
  const runDir = join(baseDir, 'run');
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir)
    .sort()
    .map((name) => /^elasticsearch-(\d+)$/.exec(name))
    .filter((match) => match !== null)
    .map((match) => elasticsearchFiles(baseDir, Number(match[1])))
    .filter((files) => existsSync(files.stateFile));
}

function runningPid(files: ElasticsearchFiles): number | undefined {
  return livePid(files.pidFile, elasticsearchMarker(files));
}

/** Brings Elasticsearch up unless it already runs, and waits for a yellow cluster. */
export async function elasticsearchUp(options: ResolvedStackOptions): Promise<ElasticsearchUpResult> {
  const started = Date.now();
  const { port, transportPort, version } = options.elasticsearch;
  const baseDir = elasticsearchBaseDir(options.stackDir);
  const files = elasticsearchFiles(baseDir, port);
  const url = `http://127.0.0.1:${port}`;
  let pid = runningPid(files);
  const reused = pid !== undefined;
  let launcherExit: number | null | undefined;
  if (pid !== undefined) {
    options.onProgress({
      server: 'elasticsearch',
      step: 'reuse',
      message: `Elasticsearch already running (pid ${pid})`,
    });
  } else {
    const java = findJavaHome(options.javaHome, options.env);
    const distDir = await ensureElasticsearchDist({
      stackDir: options.stackDir,
      baseDir,
      version,
      mavenCommand: options.mavenCommand,
      javaHome: java.home,
      env: options.env,
      onProgress: options.onProgress,
    });
    for (const candidate of [port, transportPort]) {
      if (await portAnswers(candidate)) {
        throw new TriageError(
          'TRIAGE_STACK_START_FAILED',
          `port ${candidate} (Elasticsearch) is taken by a process this stack did not start; ` +
            'stop it or choose another TRIAGE_ES_PORT',
        );
      }
    }
    const user = await ensureServiceUser(options.elasticsearch.user);
    await prepareElasticsearch({ files, distDir, version, port, transportPort, user });
    const launcher = startElasticsearchProcess({
      files,
      distDir,
      javaHome: java.home,
      heapMb: options.elasticsearch.heapMb,
      user,
    });
    void launcher.exited.then((code) => {
      launcherExit = code;
    });
    options.onProgress({
      server: 'elasticsearch',
      step: 'start',
      message: `started Elasticsearch ${version}${user ? ` as ${user}` : ''} (port ${port}), log ${files.launcherLogFile}`,
    });
  }
  options.onProgress({
    server: 'elasticsearch',
    step: 'wait',
    message: `waiting for ${url}/_cluster/health`,
  });
  await waitUntilReady({
    what: `Elasticsearch (${files.id})`,
    timeoutMs: options.readyTimeoutMs,
    check: () => elasticsearchNotReadyReason(port),
    gaveUp: () => {
      if (reused) return runningPid(files) === undefined ? `pid ${pid} exited` : undefined;
      if (launcherExit === undefined) return undefined;
      if (launcherExit !== 0) return `the launcher exited with code ${String(launcherExit)}`;
      return runningPid(files) === undefined ? 'the server exited after the launcher returned' : undefined;
    },
    logFile: () => files.launcherLogFile,
  });
  pid ??= await waitForPidFile(files);
  const readyMs = Date.now() - started;
  options.onProgress({
    server: 'elasticsearch',
    step: 'ready',
    message: `Elasticsearch ready at ${url} in ${readyMs} ms`,
  });
  return {
    url,
    version: readElasticsearchState(files.stateFile)?.version ?? version,
    servers: [{ name: 'elasticsearch', pid, port, reused, logFile: files.serverLogFile }],
    readyMs,
  };
}

/** The server writes its pid file early in its start; allow it a moment after health turns yellow. */
async function waitForPidFile(files: ElasticsearchFiles): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const pid = runningPid(files);
    if (pid !== undefined) return pid;
    await sleep(200);
  }
  throw new TriageError(
    'TRIAGE_STACK_START_FAILED',
    `Elasticsearch answers on its port but wrote no pid file at ${files.pidFile}`,
  );
}

/** Stops the node on the configured port, or with `all` every node this stack dir knows. */
export async function elasticsearchDown(
  options: ResolvedStackOptions,
  all: boolean,
): Promise<StoppedServer[]> {
  const stopped: StoppedServer[] = [];
  for (const files of knownNodes(options)) {
    if (
      !all &&
      files.id !== elasticsearchFiles(elasticsearchBaseDir(options.stackDir), options.elasticsearch.port).id
    ) {
      continue;
    }
    const pid = runningPid(files);
    if (pid === undefined) continue;
    options.onProgress({
      server: 'elasticsearch',
      step: 'stop',
      message: `stopping Elasticsearch (pid ${pid})`,
    });
    const outcome = await stopProcess(pid, elasticsearchMarker(files), { timeoutMs: options.stopTimeoutMs });
    removePidFile(files.pidFile);
    if (outcome) stopped.push({ name: 'elasticsearch', pid, ...outcome });
  }
  return stopped;
}

/** The node on the configured port, running or not, and any other running node. */
export function elasticsearchStatus(options: ResolvedStackOptions): ServerStatus[] {
  const configured = elasticsearchFiles(elasticsearchBaseDir(options.stackDir), options.elasticsearch.port);
  const others = knownNodes(options).filter(
    (files) => files.id !== configured.id && runningPid(files) !== undefined,
  );
  const nodes = [configured, ...others];
  return nodes.map((files) => {
    const pid = runningPid(files);
    const state = readElasticsearchState(files.stateFile);
    return {
      name: 'elasticsearch',
      kind: 'elasticsearch',
      state: pid === undefined ? 'stopped' : 'running',
      pid,
      port: state?.port ?? options.elasticsearch.port,
      version: state?.version ?? options.elasticsearch.version,
      group: files.id,
      logFile: files.serverLogFile,
      rssKb: pid === undefined ? undefined : residentKb(pid),
    };
  });
}
