import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csv, type Env, loadConfig, port } from '@triage/config';
import { TriageError } from '@triage/errors';
import { z } from 'zod';
import type { KafkaNodeCount, StackProgress } from './types.ts';

/** Versions fetched from Maven Central; the poms and deploy/compose.yaml carry the same (a unit test checks). */
export const defaultKafkaVersion = '4.1.2';
export const defaultElasticsearchVersion = '8.19.21';

/** The package directory (deploy/local), whose poms and config files the stack reads. */
export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(packageDir, '..', '..');

const version = z.string().regex(/^\d+\.\d+\.\d+$/, 'a release version such as 4.1.2');
const positiveInt = z.coerce.number().int().positive();

/** Environment variables of the local stack; explicit options win over them. */
export const localStackEnv = {
  TRIAGE_STACK_DIR: z
    .string()
    .min(1)
    .default(resolve(repoDir, '.stack'))
    .describe('Where downloads, data, logs and pid files go (outside git)'),
  TRIAGE_KAFKA_NODES: z
    .enum(['1', '3'])
    .transform((value) => Number(value) as KafkaNodeCount)
    .optional()
    .describe('Kafka nodes: 1, or 3 for fault tests (default: what runs, else 1)'),
  TRIAGE_KAFKA_PORT: port
    .default(9092)
    .describe('First Kafka broker port; node n uses port+2(n-1), controller +1'),
  TRIAGE_KAFKA_SASL_PORT: port
    .optional()
    .describe(
      'Unset: no SASL_SSL listener. Else the first node also serves SASL_SSL (SCRAM, TLS from keytool, ACLs enforced) on this port, node n on port+n-1',
    ),
  TRIAGE_KAFKA_SCRAM_USERS: csv
    .default([])
    .describe(
      'SCRAM users to create besides `admin` with the SASL_SSL listener, comma-separated (passwords generated into files)',
    ),
  TRIAGE_ES_PORT: port.default(9200).describe('Elasticsearch HTTP port (transport port is this + 100)'),
  TRIAGE_KAFKA_VERSION: version.default(defaultKafkaVersion).describe('org.apache.kafka:kafka_2.13 version'),
  TRIAGE_ES_VERSION: version
    .default(defaultElasticsearchVersion)
    .describe('org.elasticsearch.distribution.integ-test-zip:elasticsearch version'),
  TRIAGE_JAVA_HOME: z
    .string()
    .min(1)
    .optional()
    .describe('JDK 17+ for both servers (default: JAVA_HOME, else the java on PATH)'),
  TRIAGE_KAFKA_HEAP_MB: positiveInt.default(512).describe('Heap per Kafka node, MB'),
  TRIAGE_ES_HEAP_MB: positiveInt.default(512).describe('Elasticsearch heap, MB'),
  TRIAGE_STACK_READY_TIMEOUT_MS: positiveInt
    .default(120_000)
    .describe('How long to wait for a server to become ready'),
  TRIAGE_STACK_STOP_TIMEOUT_MS: positiveInt
    .default(30_000)
    .describe('How long to wait after SIGTERM before SIGKILL'),
  TRIAGE_ES_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]*$/, 'a Unix user name')
    .default('triage-es')
    .describe('System user Elasticsearch runs as when the stack runs as root (created if missing)'),
  TRIAGE_MVN: z.string().min(1).default('mvn').describe('Maven command that fetches the servers'),
} as const;

export interface StackOptions {
  /** Where downloads, data, logs and pid files go. */
  stackDir?: string;
  /** Start (or check) Kafka. Default true. */
  kafka?: boolean;
  /** Start (or check) Elasticsearch. Default true. */
  elasticsearch?: boolean;
  /** 1, or 3 for fault tests. Default: the node count of the cluster already running on the port, else 1. */
  kafkaNodes?: KafkaNodeCount;
  kafkaPort?: number;
  /**
   * Adds a SASL_SSL listener on this port (node n: port + n - 1), with the authorizer on. A
   * cluster once started with it keeps it. Default: none.
   */
  kafkaSaslPort?: number;
  /** SCRAM users to create besides `admin` (passwords generated once, kept in files). */
  kafkaScramUsers?: readonly string[];
  elasticsearchPort?: number;
  kafkaVersion?: string;
  elasticsearchVersion?: string;
  javaHome?: string;
  kafkaHeapMb?: number;
  elasticsearchHeapMb?: number;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  elasticsearchUser?: string;
  mavenCommand?: string;
  /** Environment to read the TRIAGE_* defaults from. Default `process.env`. */
  env?: Env;
  onProgress?: (event: StackProgress) => void;
}

export interface ResolvedStackOptions {
  stackDir: string;
  kafka: {
    enabled: boolean;
    /** Undefined when neither the caller nor TRIAGE_KAFKA_NODES chose: adopt what runs, else 1. */
    nodes: KafkaNodeCount | undefined;
    port: number;
    /** Undefined when not asked for: the cluster's own choice (kept in cluster.json), else none. */
    saslPort: number | undefined;
    scramUsers: readonly string[];
    version: string;
    heapMb: number;
  };
  elasticsearch: {
    enabled: boolean;
    port: number;
    transportPort: number;
    version: string;
    heapMb: number;
    user: string;
  };
  javaHome: string | undefined;
  env: Env;
  mavenCommand: string;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  onProgress: (event: StackProgress) => void;
}

/** Merges explicit options over the TRIAGE_* environment and the defaults, and checks the ports. */
export function resolveStackOptions(options: StackOptions = {}): ResolvedStackOptions {
  const env = options.env ?? process.env;
  const fromEnv = loadConfig(localStackEnv, env);
  const kafkaNodes = options.kafkaNodes ?? fromEnv.TRIAGE_KAFKA_NODES;
  if (kafkaNodes !== undefined && kafkaNodes !== 1 && kafkaNodes !== 3) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `kafkaNodes must be 1 or 3, got ${String(kafkaNodes)}`);
  }
  const resolved: ResolvedStackOptions = {
    stackDir: resolve(options.stackDir ?? fromEnv.TRIAGE_STACK_DIR),
    kafka: {
      enabled: options.kafka ?? true,
      nodes: kafkaNodes,
      port: options.kafkaPort ?? fromEnv.TRIAGE_KAFKA_PORT,
      saslPort: options.kafkaSaslPort ?? fromEnv.TRIAGE_KAFKA_SASL_PORT,
      scramUsers: options.kafkaScramUsers ?? fromEnv.TRIAGE_KAFKA_SCRAM_USERS,
      version: options.kafkaVersion ?? fromEnv.TRIAGE_KAFKA_VERSION,
      heapMb: options.kafkaHeapMb ?? fromEnv.TRIAGE_KAFKA_HEAP_MB,
    },
    elasticsearch: {
      enabled: options.elasticsearch ?? true,
      port: options.elasticsearchPort ?? fromEnv.TRIAGE_ES_PORT,
      transportPort: (options.elasticsearchPort ?? fromEnv.TRIAGE_ES_PORT) + 100,
      version: options.elasticsearchVersion ?? fromEnv.TRIAGE_ES_VERSION,
      heapMb: options.elasticsearchHeapMb ?? fromEnv.TRIAGE_ES_HEAP_MB,
      user: options.elasticsearchUser ?? fromEnv.TRIAGE_ES_USER,
    },
    javaHome: options.javaHome ?? fromEnv.TRIAGE_JAVA_HOME,
    env,
    mavenCommand: options.mavenCommand ?? fromEnv.TRIAGE_MVN,
    readyTimeoutMs: options.readyTimeoutMs ?? fromEnv.TRIAGE_STACK_READY_TIMEOUT_MS,
    stopTimeoutMs: options.stopTimeoutMs ?? fromEnv.TRIAGE_STACK_STOP_TIMEOUT_MS,
    onProgress: options.onProgress ?? (() => {}),
  };
  const clash = portClash(resolved);
  if (clash) throw new TriageError('TRIAGE_CONFIG_INVALID', clash);
  return Object.freeze(resolved);
}

/** Kafka node n (1-based) listens for clients on `port + 2(n-1)` and for controllers on the next port. */
export function kafkaNodePorts(basePort: number, nodeId: number): { broker: number; controller: number } {
  const broker = basePort + 2 * (nodeId - 1);
  return { broker, controller: broker + 1 };
}

function portClash(options: ResolvedStackOptions): string | undefined {
  const kafkaFirst = options.kafka.port;
  const kafkaLast = kafkaNodePorts(kafkaFirst, options.kafka.nodes ?? 3).controller;
  const sasl = options.kafka.saslPort;
  if (options.kafka.enabled && sasl !== undefined) {
    const saslLast = sasl + (options.kafka.nodes ?? 3) - 1;
    if (saslLast >= kafkaFirst && sasl <= kafkaLast) {
      return `TRIAGE_KAFKA_SASL_PORT ${sasl} overlaps Kafka's ports ${kafkaFirst}-${kafkaLast} (TRIAGE_KAFKA_PORT)`;
    }
    if (saslLast > 65_535) return `TRIAGE_KAFKA_SASL_PORT ${sasl} leaves no room for every node's port`;
  }
  if (!options.kafka.enabled || !options.elasticsearch.enabled) return undefined;
  for (const esPort of [options.elasticsearch.port, options.elasticsearch.transportPort]) {
    if (esPort >= kafkaFirst && esPort <= kafkaLast) {
      return `TRIAGE_ES_PORT ${options.elasticsearch.port} (transport ${options.elasticsearch.transportPort}) overlaps Kafka's ports ${kafkaFirst}-${kafkaLast} (TRIAGE_KAFKA_PORT)`;
    }
  }
  if (kafkaLast > 65_535) return `TRIAGE_KAFKA_PORT ${kafkaFirst} leaves no room for the controller ports`;
  return undefined;
}
