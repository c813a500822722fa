import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SaslListener, saslNodePort, saslSslSettings } from './kafka-sasl-ssl.ts';
import { kafkaNodePorts, packageDir } from './options.ts';
import { type DetachedProcess, spawnDetached, writePidFile } from './process-control.ts';
import { runCommandOrFail } from './run-command.ts';
import { type KafkaClusterFiles, kafkaClusterFiles, kafkaNodeFiles } from './stack-layout.ts';
import type { KafkaNodeCount } from './types.ts';

/**
 * Kafka in KRaft mode, every node both broker and controller, all on 127.0.0.1. One node for
 * everyday work; three (RF 3, min ISR 2, a 2-of-3 controller quorum) for fault tests that
 * kill a node. Topics are never auto-created: code must create what it uses.
 */

interface KafkaClusterState {
  clusterId: string;
  nodes: KafkaNodeCount;
  port: number;
  version: string;
  createdAt: string;
  /** The SASL_SSL listener's first port, once the cluster was started with one; it keeps it. */
  saslPort?: number;
}

export interface KafkaCluster {
  files: KafkaClusterFiles;
  state: KafkaClusterState;
}

const log4jConfigFile = join(packageDir, 'config', 'log4j2.properties');

/** A KRaft cluster id: 16 random bytes, base64url without padding, never starting with '-'. */
export function newKafkaClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export interface KafkaNodeConfig {
  nodeId: number;
  nodes: KafkaNodeCount;
  basePort: number;
  dataDir: string;
  /** Adds the SASL_SSL listener and the authorizer. */
  sasl?: SaslListener;
}

/** The server.properties of one node. */
export function kafkaServerProperties(config: KafkaNodeConfig): string {
  const { broker, controller } = kafkaNodePorts(config.basePort, config.nodeId);
  const voters = Array.from({ length: config.nodes }, (_, index) => {
    const id = index + 1;
    return `${id}@127.0.0.1:${kafkaNodePorts(config.basePort, id).controller}`;
  }).join(',');
  const replicas = config.nodes;
  const minIsr = config.nodes === 1 ? 1 : 2;
  const sasl = config.sasl && `SASL_SSL://127.0.0.1:${saslNodePort(config.sasl.port, config.nodeId)}`;
  const settings: Array<[string, string | number | boolean]> = [
    ['process.roles', 'broker,controller'],
    ['node.id', config.nodeId],
    ['controller.quorum.voters', voters],
    [
      'listeners',
      [`PLAINTEXT://127.0.0.1:${broker}`, `CONTROLLER://127.0.0.1:${controller}`, sasl]
        .filter(Boolean)
        .join(','),
    ],
    ['advertised.listeners', [`PLAINTEXT://127.0.0.1:${broker}`, sasl].filter(Boolean).join(',')],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    [
      'listener.security.protocol.map',
      `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${sasl ? ',SASL_SSL:SASL_SSL' : ''}`,
    ],
    ['log.dirs', config.dataDir],
    // Code creates every topic it uses (the topic catalogue's bootstrap); a typo must fail, not create.
    ['auto.create.topics.enable', false],
    ['num.partitions', 1],
    ['default.replication.factor', replicas],
    ['min.insync.replicas', minIsr],
    ['offsets.topic.replication.factor', replicas],
    ['transaction.state.log.replication.factor', replicas],
    ['transaction.state.log.min.isr', minIsr],
    ['share.coordinator.state.topic.replication.factor', replicas],
    ['share.coordinator.state.topic.min.isr', minIsr],
    // Tests start consumers and expect them to join at once.
    ['group.initial.rebalance.delay.ms', 0],
    // A transaction past its timeout is aborted within a second, not ten: a killed producer's open
    // transaction stops holding up committed readers sooner, and tests can wait for it.
    ['transaction.abort.timed.out.transaction.cleanup.interval.ms', 1000],
  ];
  if (config.nodes > 1) {
    // Quick failover when a fault test kills a node: fenced after 6 s, dropped from ISR after 10 s.
    settings.push(
      ['broker.heartbeat.interval.ms', 1000],
      ['broker.session.timeout.ms', 6000],
      ['replica.lag.time.max.ms', 10_000],
    );
  }
  if (config.sasl) settings.push(...saslSslSettings(config.sasl));
  return [
    `# Written by @triage/local-stack for node ${config.nodeId} of ${config.nodes}; rewritten on every start.`,
    ...settings.map(([key, value]) => `${key}=${String(value)}`),
    '',
  ].join('\n');
}

function readKafkaClusterState(stateFile: string): KafkaClusterState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as KafkaClusterState;
  } catch {
    return undefined;
  }
}

/** Every Kafka cluster the stack dir knows (ones started at least once), running or not. */
export function listKafkaClusters(stackDir: string): KafkaCluster[] {
  const runDir = join(stackDir, 'run');
  if (!existsSync(runDir)) return [];
  const clusters: KafkaCluster[] = [];
  for (const name of readdirSync(runDir).sort()) {
    const match = /^kafka-(\d+)-([13])node$/.exec(name);
    if (!match) continue;
    const files = kafkaClusterFiles(stackDir, Number(match[1]), Number(match[2]) as KafkaNodeCount);
    const state = readKafkaClusterState(files.stateFile);
    if (state) clusters.push({ files, state });
  }
  return clusters;
}

/**
 * Creates the cluster's dirs and identity on first use (a kept cluster.json keeps its id, so
 * data survives restarts) and rewrites each node's server.properties.
 */
export function prepareKafkaCluster(input: {
  stackDir: string;
  port: number;
  nodes: KafkaNodeCount;
  version: string;
  sasl?: SaslListener;
}): KafkaCluster {
  const files = kafkaClusterFiles(input.stackDir, input.port, input.nodes);
  mkdirSync(files.dir, { recursive: true });
  let state = readKafkaClusterState(files.stateFile);
  if (!state) {
    state = {
      clusterId: newKafkaClusterId(),
      nodes: input.nodes,
      port: input.port,
      version: input.version,
      createdAt: new Date().toISOString(),
    };
  }
  state = { ...state, version: input.version, ...(input.sasl ? { saslPort: input.sasl.port } : {}) };
  writeFileSync(files.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  for (let nodeId = 1; nodeId <= input.nodes; nodeId += 1) {
    const node = kafkaNodeFiles(files.dir, nodeId);
    mkdirSync(node.dataDir, { recursive: true });
    writeFileSync(
      node.propertiesFile,
      kafkaServerProperties({
        nodeId,
        nodes: input.nodes,
        basePort: input.port,
        dataDir: node.dataDir,
        ...(input.sasl ? { sasl: input.sasl } : {}),
      }),
      // With the listener it holds the keystore's password.
      { mode: 0o600 },
    );
    chmodSync(node.propertiesFile, 0o600);
  }
  return { files, state };
}

export interface KafkaLaunch {
  cluster: KafkaCluster;
  nodeId: number;
  libDir: string;
  java: string;
  heapMb: number;
}

/** Formats the node's storage with the cluster id unless it already is (meta.properties exists). */
export async function formatKafkaNode(launch: KafkaLaunch): Promise<void> {
  const node = kafkaNodeFiles(launch.cluster.files.dir, launch.nodeId);
  if (existsSync(join(node.dataDir, 'meta.properties'))) return;
  const output = await runCommandOrFail(`formatting Kafka node ${launch.nodeId}`, launch.java, [
    `-Dlog4j2.configurationFile=${log4jConfigFile}`,
    '-cp',
    join(launch.libDir, '*'),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    launch.cluster.state.clusterId,
    '-c',
    node.propertiesFile,
    '--ignore-formatted',
  ]);
  writeFileSync(node.formatLogFile, output);
}

/** Starts one node detached (output to its server.log) and writes its pid file. */
export function startKafkaProcess(launch: KafkaLaunch): DetachedProcess {
  const node = kafkaNodeFiles(launch.cluster.files.dir, launch.nodeId);
  const child = spawnDetached({
    command: launch.java,
    args: [
      `-Xms${launch.heapMb}m`,
      `-Xmx${launch.heapMb}m`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4jConfigFile}`,
      '-cp',
      join(launch.libDir, '*'),
      'kafka.Kafka',
      node.propertiesFile,
    ],
    cwd: node.dir,
    logFile: node.logFile,
  });
  writePidFile(node.pidFile, child.pid);
  return child;
}

/** The command-line fragment that identifies a node's process: its properties file. */
export function kafkaNodeMarker(cluster: KafkaCluster, nodeId: number): string {
  return kafkaNodeFiles(cluster.files.dir, nodeId).propertiesFile;
}
