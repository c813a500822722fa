import { join } from 'node:path';
import { TriageError } from '@triage/errors';
import { findJavaHome } from './java-home.ts';
import {
  ensureKafkaTls,
  ensureScramPasswordFiles,
  kafkaAdminUser,
  type SaslListener,
  saslNodePort,
  saslNotReadyReason,
  upsertScramUsers,
} from './kafka-sasl-ssl.ts';
import {
  formatKafkaNode,
  type KafkaCluster,
  type KafkaLaunch,
  kafkaNodeMarker,
  listKafkaClusters,
  prepareKafkaCluster,
  startKafkaProcess,
} from './kafka-server.ts';
import { ensureKafkaDist } from './maven-fetch.ts';
import { kafkaNodePorts, type ResolvedStackOptions } from './options.ts';
import {
  isOurProcess,
  livePid,
  removePidFile,
  residentKb,
  stopProcess,
  stopQuorum,
} from './process-control.ts';
import { kafkaNotReadyReason, portAnswers, waitUntilReady } from './readiness.ts';
import { kafkaClusterFiles, kafkaNodeFiles } from './stack-layout.ts';
import type {
  KafkaNodeCount,
  KafkaSaslSslResult,
  KafkaUpResult,
  ServerRun,
  ServerStatus,
  StoppedServer,
} from './types.ts';

/** Starting, checking and stopping the nodes of one Kafka cluster. Callers hold the stack lock. */

interface Target {
  nodes: KafkaNodeCount;
  port: number;
  /** The cluster as cluster.json knows it; undefined before its first start. */
  cluster: KafkaCluster | undefined;
}

function nodeIds(nodes: number): number[] {
  return Array.from({ length: nodes }, (_, index) => index + 1);
}

function liveNodePids(cluster: KafkaCluster): Map<number, number> {
  const pids = new Map<number, number>();
  for (const nodeId of nodeIds(cluster.state.nodes)) {
    const pid = livePid(kafkaNodeFiles(cluster.files.dir, nodeId).pidFile, kafkaNodeMarker(cluster, nodeId));
    if (pid !== undefined) pids.set(nodeId, pid);
  }
  return pids;
}

function portRange(port: number, nodes: number): [number, number] {
  return [port, kafkaNodePorts(port, nodes).controller];
}

/**
 * Which cluster a call means: on the configured port, with the requested node count, or (none
 * requested) the one running there, else a single node.
 */
function chooseTarget(options: ResolvedStackOptions): Target {
  const { port } = options.kafka;
  const onPort = listKafkaClusters(options.stackDir).filter((cluster) => cluster.state.port === port);
  const requested = options.kafka.nodes;
  if (requested !== undefined) {
    return { nodes: requested, port, cluster: onPort.find((cluster) => cluster.state.nodes === requested) };
  }
  const running = onPort.find((cluster) => liveNodePids(cluster).size > 0);
  if (running) return { nodes: running.state.nodes, port, cluster: running };
  return { nodes: 1, port, cluster: onPort.find((cluster) => cluster.state.nodes === 1) };
}

/** Refuses to start a cluster whose ports another running cluster of this stack holds. */
function assertNoOtherClusterRunning(options: ResolvedStackOptions, target: Target): void {
  const [first, last] = portRange(target.port, target.nodes);
  for (const other of listKafkaClusters(options.stackDir)) {
    if (other.state.port === target.port && other.state.nodes === target.nodes) continue;
    const [otherFirst, otherLast] = portRange(other.state.port, other.state.nodes);
    if (otherLast < first || otherFirst > last) continue;
    const pids = [...liveNodePids(other).values()];
    if (pids.length === 0) continue;
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      `Kafka already runs here as a ${other.state.nodes}-node cluster on port ${other.state.port} ` +
        `(${other.files.id}, pid ${pids.join(', ')}); it was not replaced. Run \`triage stack down\` first, ` +
        `then \`triage stack up --kafka-nodes ${target.nodes}\`.`,
    );
  }
}

function brokerAddresses(port: number, nodes: number): Array<{ host: string; port: number }> {
  return nodeIds(nodes).map((nodeId) => ({ host: '127.0.0.1', port: kafkaNodePorts(port, nodeId).broker }));
}

async function launchesFor(
  options: ResolvedStackOptions,
  cluster: KafkaCluster,
  ids: number[],
): Promise<KafkaLaunch[]> {
  const java = findJavaHome(options.javaHome, options.env);
  const libDir = await ensureKafkaDist({
    stackDir: options.stackDir,
    version: options.kafka.version,
    mavenCommand: options.mavenCommand,
    javaHome: java.home,
    env: options.env,
    onProgress: options.onProgress,
  });
  return ids.map((nodeId) => ({ cluster, nodeId, libDir, java: java.java, heapMb: options.kafka.heapMb }));
}

async function assertPortsFree(port: number, nodeId: number): Promise<void> {
  const { broker, controller } = kafkaNodePorts(port, nodeId);
  for (const candidate of [broker, controller]) {
    if (await portAnswers(candidate)) {
      throw new TriageError(
        'TRIAGE_STACK_START_FAILED',
        `port ${candidate} (Kafka node ${nodeId}) is taken by a process this stack did not start; ` +
          'stop it or choose another TRIAGE_KAFKA_PORT',
      );
    }
  }
}

/** Starts the nodes that are not running (formatting storage first) and returns their processes. */
async function startNodes(
  options: ResolvedStackOptions,
  cluster: KafkaCluster,
  ids: number[],
): Promise<Map<number, { pid: number; exitCode: () => number | null | undefined }>> {
  const started = new Map<number, { pid: number; exitCode: () => number | null | undefined }>();
  if (ids.length === 0) return started;
  const launches = await launchesFor(options, cluster, ids);
  for (const nodeId of ids) await assertPortsFree(cluster.state.port, nodeId);
  await Promise.all(launches.map((launch) => formatKafkaNode(launch)));
  for (const launch of launches) {
    const files = kafkaNodeFiles(cluster.files.dir, launch.nodeId);
    removePidFile(files.pidFile);
    const child = startKafkaProcess(launch);
    let exitCode: number | null | undefined;
    void child.exited.then((code) => {
      exitCode = code;
    });
    options.onProgress({
      server: `kafka-${launch.nodeId}`,
      step: 'start',
      message: `started Kafka node ${launch.nodeId} (pid ${child.pid}, port ${kafkaNodePorts(cluster.state.port, launch.nodeId).broker}), log ${files.logFile}`,
    });
    started.set(launch.nodeId, { pid: child.pid, exitCode: () => exitCode });
  }
  return started;
}

async function waitForCluster(
  options: ResolvedStackOptions,
  cluster: KafkaCluster,
  started: Map<number, { pid: number; exitCode: () => number | null | undefined }>,
): Promise<number> {
  const nodes = cluster.state.nodes;
  let deadNode: number | undefined;
  return waitUntilReady({
    what: `Kafka (${nodes} ${nodes === 1 ? 'node' : 'nodes'}, ${cluster.files.id})`,
    timeoutMs: options.readyTimeoutMs,
    check: () => kafkaNotReadyReason(brokerAddresses(cluster.state.port, nodes)),
    gaveUp: () => {
      for (const [nodeId, child] of started) {
        if (!isOurProcess(child.pid, kafkaNodeMarker(cluster, nodeId))) {
          deadNode = nodeId;
          return `node ${nodeId} (pid ${child.pid}) exited with code ${String(child.exitCode() ?? 'unknown')}`;
        }
      }
      return undefined;
    },
    logFile: () => kafkaNodeFiles(cluster.files.dir, deadNode ?? [...started.keys()][0] ?? 1).logFile,
  });
}

/**
 * The SASL_SSL listener the cluster gets: the one asked for, else the one it was started with
 * before (a cluster keeps it), else none. A running cluster cannot gain one or change its port.
 */
async function saslListenerFor(
  options: ResolvedStackOptions,
  target: Target,
  running: boolean,
): Promise<SaslListener | undefined> {
  const kept = target.cluster?.state.saslPort;
  const port = options.kafka.saslPort ?? kept;
  if (port === undefined) return undefined;
  if (running && port !== kept) {
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      `Kafka on port ${target.port} runs ${kept === undefined ? 'without a SASL_SSL listener' : `with its SASL_SSL listener on ${kept}`}; ` +
        'it was not restarted. Run `triage stack down` first, then `triage stack up --kafka-sasl-port <port>`.',
    );
  }
  const dir = kafkaClusterFiles(options.stackDir, target.port, target.nodes).dir;
  const java = findJavaHome(options.javaHome, options.env);
  const tls = await ensureKafkaTls({ dir: join(dir, 'tls'), keytool: join(java.home, 'bin', 'keytool') });
  return { port, tls };
}

/**
 * Creates (or re-sets) the SCRAM users through the plaintext listener and waits until `admin`
 * can log in over SASL_SSL.
 */
async function readySaslListener(
  options: ResolvedStackOptions,
  cluster: KafkaCluster,
  listener: SaslListener,
  nodes: number,
): Promise<KafkaSaslSslResult> {
  const passwordFiles = ensureScramPasswordFiles(join(cluster.files.dir, 'sasl'), [
    kafkaAdminUser,
    ...options.kafka.scramUsers.filter((user) => user !== kafkaAdminUser),
  ]);
  await upsertScramUsers(brokerAddresses(cluster.state.port, 1)[0]!, passwordFiles);
  const brokers = nodeIds(nodes).map((nodeId) => `127.0.0.1:${saslNodePort(listener.port, nodeId)}`);
  await waitUntilReady({
    what: `Kafka SASL_SSL listener (${cluster.files.id}, port ${listener.port})`,
    timeoutMs: options.readyTimeoutMs,
    check: () =>
      saslNotReadyReason({
        brokers,
        caFile: listener.tls.caFile,
        passwordFile: passwordFiles[kafkaAdminUser]!,
      }),
    logFile: () => kafkaNodeFiles(cluster.files.dir, 1).logFile,
  });
  options.onProgress({
    server: 'kafka',
    step: 'ready',
    message: `SASL_SSL at ${brokers.join(',')} (CA ${listener.tls.caFile}; users ${Object.keys(passwordFiles).join(', ')})`,
  });
  return { bootstrapServers: brokers.join(','), brokers, caFile: listener.tls.caFile, passwordFiles };
}

/** Brings the cluster up, reusing running nodes, and waits until it serves. */
export async function kafkaUp(options: ResolvedStackOptions): Promise<KafkaUpResult> {
  const started = Date.now();
  const target = chooseTarget(options);
  assertNoOtherClusterRunning(options, target);
  const running = target.cluster ? liveNodePids(target.cluster) : new Map<number, number>();
  const missing = nodeIds(target.nodes).filter((nodeId) => !running.has(nodeId));
  const sasl = await saslListenerFor(options, target, running.size > 0);
  const cluster =
    missing.length > 0 || !target.cluster
      ? prepareKafkaCluster({
          stackDir: options.stackDir,
          port: target.port,
          nodes: target.nodes,
          version: options.kafka.version,
          ...(sasl ? { sasl } : {}),
        })
      : target.cluster;
  for (const [nodeId, pid] of running) {
    options.onProgress({
      server: `kafka-${nodeId}`,
      step: 'reuse',
      message: `Kafka node ${nodeId} already running (pid ${pid})`,
    });
  }
  const fresh = await startNodes(options, cluster, missing);
  options.onProgress({
    server: 'kafka',
    step: 'wait',
    message: `waiting for ${target.nodes} broker(s) and leaders of the probe topic`,
  });
  await waitForCluster(options, cluster, fresh);
  const saslSsl = sasl && (await readySaslListener(options, cluster, sasl, target.nodes));
  const readyMs = Date.now() - started;
  const brokers = brokerAddresses(cluster.state.port, target.nodes).map(
    (broker) => `${broker.host}:${broker.port}`,
  );
  options.onProgress({
    server: 'kafka',
    step: 'ready',
    message: `Kafka ready at ${brokers.join(',')} in ${readyMs} ms`,
  });
  const servers: ServerRun[] = nodeIds(target.nodes).map((nodeId) => ({
    name: `kafka-${nodeId}`,
    pid: running.get(nodeId) ?? fresh.get(nodeId)?.pid ?? 0,
    port: kafkaNodePorts(cluster.state.port, nodeId).broker,
    reused: running.has(nodeId),
    logFile: kafkaNodeFiles(cluster.files.dir, nodeId).logFile,
  }));
  return {
    nodes: target.nodes,
    bootstrapServers: brokers.join(','),
    brokers,
    clusterId: cluster.state.clusterId,
    version: cluster.state.version,
    servers,
    readyMs,
    ...(saslSsl ? { saslSsl } : {}),
  };
}

/**
 * Stops the running nodes of the cluster on the configured port (whatever its node count), or
 * with `all` of every cluster this stack dir knows (a benchmark's or a fault test's own one too).
 */
export async function kafkaDown(options: ResolvedStackOptions, all: boolean): Promise<StoppedServer[]> {
  const clusters = listKafkaClusters(options.stackDir).filter(
    (cluster) => all || cluster.state.port === options.kafka.port,
  );
  const stopped = await Promise.all(clusters.map((cluster) => stopCluster(options, cluster)));
  return stopped.flat();
}

/**
 * How long the last running node of a multi-node cluster gets before SIGKILL. Alone it has no
 * controller majority: its Raft client gives up after 5 s and it exits cleanly, but its
 * controlled shutdown can also wait for minutes when the quorum went first.
 */
const lastNodeGraceMs = 10_000;

async function stopCluster(options: ResolvedStackOptions, cluster: KafkaCluster): Promise<StoppedServer[]> {
  const running = [...liveNodePids(cluster)];
  if (running.length === 0) return [];
  if (running.length === 1) {
    const [nodeId, pid] = running[0]!;
    const stopped = await stopNode(options, cluster, nodeId, pid, false);
    return stopped ? [stopped] : [];
  }
  for (const [nodeId, pid] of running) {
    options.onProgress({
      server: `kafka-${nodeId}`,
      step: 'stop',
      message: `stopping Kafka node ${nodeId} of ${cluster.files.id} (pid ${pid})`,
    });
  }
  const outcomes = await stopQuorum(
    running.map(([nodeId, pid]) => ({ pid, marker: kafkaNodeMarker(cluster, nodeId) })),
    { timeoutMs: options.stopTimeoutMs, lastSurvivorMs: lastNodeGraceMs },
  );
  const stopped: StoppedServer[] = [];
  running.forEach(([nodeId, pid], index) => {
    removePidFile(kafkaNodeFiles(cluster.files.dir, nodeId).pidFile);
    const outcome = outcomes[index];
    if (outcome) stopped.push({ name: `kafka-${nodeId}`, pid, ...outcome });
  });
  return stopped;
}

async function stopNode(
  options: ResolvedStackOptions,
  cluster: KafkaCluster,
  nodeId: number,
  pid: number,
  kill: boolean,
): Promise<StoppedServer | undefined> {
  const name = `kafka-${nodeId}`;
  options.onProgress({
    server: name,
    step: 'stop',
    message: `${kill ? 'killing' : 'stopping'} Kafka node ${nodeId} of ${cluster.files.id} (pid ${pid})`,
  });
  const outcome = await stopProcess(pid, kafkaNodeMarker(cluster, nodeId), {
    timeoutMs: options.stopTimeoutMs,
    kill,
  });
  removePidFile(kafkaNodeFiles(cluster.files.dir, nodeId).pidFile);
  return outcome && { name, pid, ...outcome };
}

/** The running cluster on the configured port (or the one the options name), for node-level faults. */
function clusterForNodeFault(options: ResolvedStackOptions, nodeId: number): KafkaCluster {
  const target = chooseTarget(options);
  if (!target.cluster) {
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      `no Kafka cluster on port ${options.kafka.port} to act on; run \`triage stack up\` first`,
    );
  }
  if (nodeId < 1 || nodeId > target.cluster.state.nodes || !Number.isInteger(nodeId)) {
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      `Kafka node ${nodeId} does not exist in ${target.cluster.files.id} (nodes 1-${target.cluster.state.nodes})`,
    );
  }
  return target.cluster;
}

/** Stops (or kills) one node; undefined when it was not running. */
export async function kafkaStopNode(
  options: ResolvedStackOptions,
  nodeId: number,
  kill: boolean,
): Promise<StoppedServer | undefined> {
  const cluster = clusterForNodeFault(options, nodeId);
  const pid = liveNodePids(cluster).get(nodeId);
  if (pid === undefined) return undefined;
  return stopNode(options, cluster, nodeId, pid, kill);
}

/** Starts one node if it is down and waits until the whole cluster serves again. */
export async function kafkaStartNode(
  options: ResolvedStackOptions,
  nodeId: number,
): Promise<ServerRun & { readyMs: number }> {
  const started = Date.now();
  const cluster = clusterForNodeFault(options, nodeId);
  const pid = liveNodePids(cluster).get(nodeId);
  const fresh = await startNodes(options, cluster, pid === undefined ? [nodeId] : []);
  await waitForCluster(options, cluster, fresh);
  return {
    name: `kafka-${nodeId}`,
    pid: pid ?? fresh.get(nodeId)?.pid ?? 0,
    port: kafkaNodePorts(cluster.state.port, nodeId).broker,
    reused: pid !== undefined,
    logFile: kafkaNodeFiles(cluster.files.dir, nodeId).logFile,
    readyMs: Date.now() - started,
  };
}

/**
 * Every node of the cluster(s) on the configured port, running or not, and of any other cluster
 * with a running node; a fresh stack dir shows the default single node as stopped.
 */
export function kafkaStatus(options: ResolvedStackOptions): ServerStatus[] {
  const clusters = listKafkaClusters(options.stackDir).filter(
    (cluster) => cluster.state.port === options.kafka.port || liveNodePids(cluster).size > 0,
  );
  if (clusters.length === 0) {
    const files = kafkaClusterFiles(options.stackDir, options.kafka.port, options.kafka.nodes ?? 1);
    return nodeIds(options.kafka.nodes ?? 1).map((nodeId) => ({
      name: `kafka-${nodeId}`,
      kind: 'kafka',
      state: 'stopped',
      pid: undefined,
      port: kafkaNodePorts(options.kafka.port, nodeId).broker,
      version: options.kafka.version,
      group: files.id,
      logFile: kafkaNodeFiles(files.dir, nodeId).logFile,
      rssKb: undefined,
    }));
  }
  return clusters.flatMap((cluster) => {
    const pids = liveNodePids(cluster);
    return nodeIds(cluster.state.nodes).map((nodeId): ServerStatus => {
      const pid = pids.get(nodeId);
      return {
        name: `kafka-${nodeId}`,
        kind: 'kafka',
        state: pid === undefined ? 'stopped' : 'running',
        pid,
        port: kafkaNodePorts(cluster.state.port, nodeId).broker,
        version: cluster.state.version,
        group: cluster.files.id,
        logFile: kafkaNodeFiles(cluster.files.dir, nodeId).logFile,
        rssKb: pid === undefined ? undefined : residentKb(pid),
      };
    });
  });
}
