/** One line of what the stack is doing, for a CLI or a test log to print. */
export interface StackProgress {
  server: string;
  step: 'fetch' | 'prepare' | 'start' | 'wait' | 'ready' | 'reuse' | 'stop';
  message: string;
}

export type KafkaNodeCount = 1 | 3;

/** A server process of the stack as `up` left it. */
export interface ServerRun {
  /** `kafka-1`..`kafka-3` or `elasticsearch`. */
  name: string;
  pid: number;
  port: number;
  /** True when the process was already running and `up` only checked it. */
  reused: boolean;
  logFile: string;
}

export interface KafkaUpResult {
  nodes: KafkaNodeCount;
  /** `127.0.0.1:9092,127.0.0.1:9094,...`, ready for a client's bootstrap list. */
  bootstrapServers: string;
  brokers: string[];
  clusterId: string;
  version: string;
  servers: ServerRun[];
  /** From the call's start until every broker listed every broker and the probe topic had leaders. */
  readyMs: number;
  /** The SASL_SSL listener, when the cluster has one. */
  saslSsl?: KafkaSaslSslResult;
}

/** What a client needs for the SASL_SSL listener: KAFKA_BROKERS, KAFKA_SSL_CA_FILE, KAFKA_SASL_*. */
export interface KafkaSaslSslResult {
  bootstrapServers: string;
  brokers: string[];
  /** PEM of the cluster's own CA, which signed the brokers' certificate. */
  caFile: string;
  /** Each SCRAM user (`admin`, a super user, and the ones asked for) and its password file. */
  passwordFiles: Record<string, string>;
}

export interface ElasticsearchUpResult {
  url: string;
  version: string;
  servers: ServerRun[];
  readyMs: number;
}

export interface StackUpResult {
  kafka: KafkaUpResult | undefined;
  elasticsearch: ElasticsearchUpResult | undefined;
  totalMs: number;
  /** Part of `totalMs` spent waiting for another process that was starting or stopping the stack. */
  lockWaitMs: number;
}

export interface ServerStatus {
  name: string;
  kind: 'kafka' | 'elasticsearch';
  state: 'running' | 'stopped';
  pid: number | undefined;
  port: number;
  version: string;
  /** For Kafka: the cluster this node belongs to, e.g. `kafka-9092-3node`. */
  group: string;
  logFile: string;
  /** Resident memory of the process in kB (Linux), when running. */
  rssKb: number | undefined;
}

export interface StackStatus {
  servers: ServerStatus[];
}

export interface StoppedServer {
  name: string;
  pid: number;
  /** `terminated` after SIGTERM, `killed` when it needed SIGKILL (or was asked to be killed). */
  how: 'terminated' | 'killed';
  ms: number;
}

export interface StackDownResult {
  stopped: StoppedServer[];
}
