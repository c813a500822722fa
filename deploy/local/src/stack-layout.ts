import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KafkaNodeCount } from './types.ts';

/**
 * Where everything lives. Under the stack dir (default `<repo>/.stack`, gitignored):
 *
 *   dist/kafka-<version>/lib/*.jar             Kafka and its log4j2 binding (Maven)
 *   dist/elasticsearch-<version>.zip           the integ-test-zip (Maven; removed once unpacked)
 *   dist/elasticsearch-<version>/              the zip, unpacked
 *   run/kafka-<port>-<n>node/cluster.json      cluster id, node count, version
 *   run/kafka-<port>-<n>node/node-<id>/        server.properties, data/, server.log, kafka.pid
 *   run/elasticsearch-<port>/                  config/, data/, logs/, tmp/, launcher.log, elasticsearch.pid, server.json
 *   stack.lock                                 held while a process starts or stops servers
 *
 * Elasticsearch runs as an unprivileged user when the stack runs as root, so its files must be
 * reachable by that user: when some parent of the stack dir is not world-traversable (a repo
 * under /root, say) its dist and run dirs move to /var/tmp/triage-local-stack-<hash>/.
 */

export function kafkaDistDir(stackDir: string, version: string): string {
  return join(stackDir, 'dist', `kafka-${version}`);
}

export interface KafkaClusterFiles {
  /** `kafka-<port>-<n>node`, also the group name in status output. */
  id: string;
  dir: string;
  stateFile: string;
}

export function kafkaClusterFiles(stackDir: string, port: number, nodes: KafkaNodeCount): KafkaClusterFiles {
  const id = `kafka-${port}-${nodes}node`;
  const dir = join(stackDir, 'run', id);
  return { id, dir, stateFile: join(dir, 'cluster.json') };
}

export interface KafkaNodeFiles {
  dir: string;
  dataDir: string;
  propertiesFile: string;
  pidFile: string;
  logFile: string;
  formatLogFile: string;
}

export function kafkaNodeFiles(clusterDir: string, nodeId: number): KafkaNodeFiles {
  const dir = join(clusterDir, `node-${nodeId}`);
  return {
    dir,
    dataDir: join(dir, 'data'),
    propertiesFile: join(dir, 'server.properties'),
    pidFile: join(dir, 'kafka.pid'),
    logFile: join(dir, 'server.log'),
    formatLogFile: join(dir, 'format.log'),
  };
}

/** The base dir for Elasticsearch's dist and run dirs: the stack dir when another user can reach it. */
export function elasticsearchBaseDir(stackDir: string): string {
  if (reachableByOthers(stackDir)) return stackDir;
  const hash = createHash('sha256').update(stackDir).digest('hex').slice(0, 10);
  return join('/var/tmp', `triage-local-stack-${hash}`);
}

export function elasticsearchZipFile(stackDir: string, version: string): string {
  return join(stackDir, 'dist', `elasticsearch-${version}.zip`);
}

export function elasticsearchDistDir(baseDir: string, version: string): string {
  return join(baseDir, 'dist', `elasticsearch-${version}`);
}

export interface ElasticsearchFiles {
  id: string;
  dir: string;
  configDir: string;
  dataDir: string;
  logsDir: string;
  tmpDir: string;
  pidFile: string;
  /** The launcher's output: the server's console until it detaches, and any startup error. */
  launcherLogFile: string;
  /** The server's own log (cluster.name is `triage-local`). */
  serverLogFile: string;
  stateFile: string;
}

export function elasticsearchFiles(baseDir: string, port: number): ElasticsearchFiles {
  const id = `elasticsearch-${port}`;
  const dir = join(baseDir, 'run', id);
  return {
    id,
    dir,
    configDir: join(dir, 'config'),
    dataDir: join(dir, 'data'),
    logsDir: join(dir, 'logs'),
    tmpDir: join(dir, 'tmp'),
    pidFile: join(dir, 'elasticsearch.pid'),
    launcherLogFile: join(dir, 'launcher.log'),
    serverLogFile: join(dir, 'logs', 'triage-local.log'),
    stateFile: join(dir, 'server.json'),
  };
}

export function stackLockFile(stackDir: string): string {
  return join(stackDir, 'stack.lock');
}

/** mkdir -p, then mode 755 on the dir and every parent it created. */
export function makeWorldReadableDir(dir: string): void {
  const created = mkdirSync(dir, { recursive: true });
  if (created === undefined) return;
  let current = dir;
  while (current.length >= created.length) {
    chmodSync(current, 0o755);
    current = dirname(current);
  }
}

/** True when every existing ancestor of `path` (and `path` itself, if it exists) has o+x. */
function reachableByOthers(path: string): boolean {
  let current = path;
  for (;;) {
    try {
      if ((statSync(current).mode & 0o001) === 0) return false;
    } catch {
      // Not created yet: the stack creates it with mode 755.
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}
