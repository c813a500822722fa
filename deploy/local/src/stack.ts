import { setTimeout as sleep } from 'node:timers/promises';
import { elasticsearchDown, elasticsearchStatus, elasticsearchUp } from './elasticsearch-lifecycle.ts';
import { kafkaDown, kafkaStartNode, kafkaStatus, kafkaStopNode, kafkaUp } from './kafka-lifecycle.ts';
import { type ResolvedStackOptions, resolveStackOptions, type StackOptions } from './options.ts';
import { withStackLock } from './stack-lock.ts';
import type {
  ElasticsearchUpResult,
  KafkaUpResult,
  ServerRun,
  StackDownResult,
  StackStatus,
  StackUpResult,
  StoppedServer,
} from './types.ts';

/**
 * The public operations. Each takes the stack lock, so concurrent callers (two test runs, an
 * engineer's CLI) serialise; the second finds the servers running and reuses them.
 */

/** Long enough for another caller's first-run download and start. */
const lockTimeoutMs = 600_000;

function locked<T>(options: ResolvedStackOptions, work: () => Promise<T>): Promise<T> {
  return withStackLock(
    options.stackDir,
    lockTimeoutMs,
    (owner) =>
      options.onProgress({
        server: 'stack',
        step: 'wait',
        message: `waiting for pid ${owner}, which is starting or stopping the stack`,
      }),
    work,
  );
}

/**
 * Starts Kafka and Elasticsearch (both by default) unless they already run, and waits until
 * they serve. Running servers are reused: a second call starts nothing and returns in well
 * under a second. Fetches the servers with Maven on first use.
 */
export async function stackUp(options: StackOptions = {}): Promise<StackUpResult> {
  const resolved = resolveStackOptions(options);
  const started = Date.now();
  return locked(resolved, async () => {
    const lockWaitMs = Date.now() - started;
    // Started side by side: the JVMs' start-up overlaps even on two cores.
    const [kafka, elasticsearch] = await Promise.allSettled([
      resolved.kafka.enabled ? kafkaUp(resolved) : Promise.resolve(undefined),
      resolved.elasticsearch.enabled ? elasticsearchUp(resolved) : Promise.resolve(undefined),
    ]);
    if (kafka.status === 'rejected') throw kafka.reason;
    if (elasticsearch.status === 'rejected') throw elasticsearch.reason;
    return {
      kafka: kafka.value as KafkaUpResult | undefined,
      elasticsearch: elasticsearch.value as ElasticsearchUpResult | undefined,
      totalMs: Date.now() - started,
      lockWaitMs,
    };
  });
}

export interface StackDownOptions
  extends Pick<
    StackOptions,
    | 'stackDir'
    | 'env'
    | 'kafka'
    | 'elasticsearch'
    | 'kafkaPort'
    | 'elasticsearchPort'
    | 'stopTimeoutMs'
    | 'onProgress'
  > {
  /** Also stop servers on other ports (clusters a benchmark or a fault test started for itself). */
  all?: boolean;
}

/**
 * Stops what this stack started on the configured ports (or, with `all`, on any port): pids
 * from its pid files, checked against their command lines; SIGTERM, then SIGKILL after
 * `stopTimeoutMs`. Data stays; the next `up` resumes it.
 */
export async function stackDown(options: StackDownOptions = {}): Promise<StackDownResult> {
  const resolved = resolveStackOptions(options);
  return locked(resolved, async () => {
    const [kafka, elasticsearch] = await Promise.all([
      resolved.kafka.enabled ? kafkaDown(resolved, options.all ?? false) : Promise.resolve([]),
      resolved.elasticsearch.enabled
        ? elasticsearchDown(resolved, options.all ?? false)
        : Promise.resolve([]),
    ]);
    return { stopped: [...kafka, ...elasticsearch] };
  });
}

/** Every server the stack knows, running or stopped, with pid, port, version and memory. */
export function stackStatus(
  options: Pick<StackOptions, 'stackDir' | 'env' | 'kafkaPort' | 'elasticsearchPort'> = {},
): StackStatus {
  const resolved = resolveStackOptions(options);
  return { servers: [...kafkaStatus(resolved), ...elasticsearchStatus(resolved)] };
}

/** Options of the node-level fault helpers: which cluster (port, node count) and how to stop. */
export interface KafkaNodeOptions
  extends Pick<
    StackOptions,
    | 'stackDir'
    | 'env'
    | 'kafkaPort'
    | 'kafkaNodes'
    | 'readyTimeoutMs'
    | 'stopTimeoutMs'
    | 'onProgress'
    | 'javaHome'
  > {
  /** SIGKILL instead of SIGTERM: a crash rather than a clean shutdown. */
  kill?: boolean;
}

/**
 * Stops one Kafka node (node ids are 1-based; a single-node cluster has only node 1) and returns
 * at once, without waiting for the cluster to notice. Undefined when it was not running.
 */
export async function stopKafkaNode(
  nodeId: number,
  options: KafkaNodeOptions = {},
): Promise<StoppedServer | undefined> {
  const resolved = resolveStackOptions({ ...options, elasticsearch: false });
  return locked(resolved, () => kafkaStopNode(resolved, nodeId, options.kill ?? false));
}

/** Starts one stopped Kafka node and waits until the whole cluster serves again. */
export async function startKafkaNode(
  nodeId: number,
  options: KafkaNodeOptions = {},
): Promise<ServerRun & { readyMs: number }> {
  const resolved = resolveStackOptions({ ...options, elasticsearch: false });
  return locked(resolved, () => kafkaStartNode(resolved, nodeId));
}

/** Stops (or kills) one node, keeps it down for `downMs`, starts it and waits for the cluster. */
export async function restartKafkaNode(
  nodeId: number,
  options: KafkaNodeOptions & { downMs?: number } = {},
): Promise<{ stopped: StoppedServer | undefined; started: ServerRun & { readyMs: number } }> {
  const stopped = await stopKafkaNode(nodeId, options);
  if (options.downMs) await sleep(options.downMs);
  const started = await startKafkaNode(nodeId, options);
  return { stopped, started };
}
