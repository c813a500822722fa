import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { TriageError } from '@triage/errors';
import {
  createKafkaTopic,
  fetchKafkaMetadata,
  type KafkaBrokerAddress,
  kafkaErrorCodes,
} from './kafka-probe.ts';
import { logTail } from './process-control.ts';

/** The topic whose leaders prove the controller assigns partitions; RF = node count. */
export const kafkaProbeTopic = '__triage_ready';

export interface WaitSpec {
  /** What is awaited, for the error message: `Kafka (3 nodes)`. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Undefined when ready, else why not (kept for the timeout message). */
  check: () => Promise<string | undefined>;
  /** A reason to give up at once (the process died), else undefined. */
  gaveUp?: () => string | undefined;
  /** The log whose tail goes into the error (asked after `gaveUp`, so it can name the node that died). */
  logFile: () => string;
}

/** Polls `check` until it passes; returns the milliseconds waited or throws TRIAGE_STACK_START_FAILED. */
export async function waitUntilReady(spec: WaitSpec): Promise<number> {
  const started = Date.now();
  let reason = 'not checked yet';
  for (;;) {
    reason = (await spec.check()) ?? '';
    if (reason === '') return Date.now() - started;
    const fatal = spec.gaveUp?.();
    if (fatal !== undefined) throw notReady(spec, fatal);
    if (Date.now() - started > spec.timeoutMs) {
      throw notReady(spec, `not ready after ${spec.timeoutMs} ms (last check: ${reason})`);
    }
    await sleep(spec.intervalMs ?? 500);
  }
}

function notReady(spec: WaitSpec, why: string): TriageError {
  const logFile = spec.logFile();
  return new TriageError(
    'TRIAGE_STACK_START_FAILED',
    `${spec.what} failed to start: ${why}\n--- last 40 lines of ${logFile} ---\n${logTail(logFile, 40)}`,
    { details: { server: spec.what, logFile } },
  );
}

/**
 * Kafka serves when every broker's metadata lists every broker and the probe topic (created
 * here if missing) has a leader and a full ISR on each partition. An open port is not enough:
 * the socket accepts before the broker has registered with the controller.
 */
export async function kafkaNotReadyReason(brokers: KafkaBrokerAddress[]): Promise<string | undefined> {
  const expected = brokers.length;
  for (const broker of brokers) {
    const address = `${broker.host}:${broker.port}`;
    let metadata: Awaited<ReturnType<typeof fetchKafkaMetadata>>;
    try {
      metadata = await fetchKafkaMetadata(broker, [kafkaProbeTopic]);
    } catch (error) {
      return `${address}: ${(error as Error).message}`;
    }
    if (metadata.brokers.length < expected) {
      return `${address} lists ${metadata.brokers.length} of ${expected} brokers`;
    }
    const probe = metadata.topics.find((topic) => topic.name === kafkaProbeTopic);
    if (!probe || probe.errorCode === kafkaErrorCodes.unknownTopicOrPartition) {
      return createProbeTopic(broker, expected);
    }
    if (probe.errorCode !== kafkaErrorCodes.none) return `${address}: probe topic error ${probe.errorCode}`;
    if (probe.partitions.length === 0) return `${address}: probe topic has no partitions yet`;
    for (const partition of probe.partitions) {
      if (partition.leader < 0) return `${address}: probe partition ${partition.partition} has no leader`;
      if (partition.isr.length < Math.min(expected, partition.replicas.length)) {
        return `${address}: probe partition ${partition.partition} ISR ${partition.isr.join(',')} not full`;
      }
    }
  }
  return undefined;
}

async function createProbeTopic(broker: KafkaBrokerAddress, nodes: number): Promise<string> {
  try {
    const result = await createKafkaTopic(broker, {
      name: kafkaProbeTopic,
      partitions: nodes,
      replicationFactor: nodes,
    });
    if (
      result.errorCode === kafkaErrorCodes.none ||
      result.errorCode === kafkaErrorCodes.topicAlreadyExists
    ) {
      return 'probe topic created, waiting for its leaders';
    }
    return `creating probe topic: ${result.errorMessage ?? `error ${result.errorCode}`}`;
  } catch (error) {
    return `creating probe topic: ${(error as Error).message}`;
  }
}

/** Elasticsearch serves when `_cluster/health?wait_for_status=yellow` answers 200. */
export async function elasticsearchNotReadyReason(port: number): Promise<string | undefined> {
  const url = `http://127.0.0.1:${port}/_cluster/health?wait_for_status=yellow&timeout=1s`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    return response.status === 200 ? undefined : `GET ${url} answered ${response.status}`;
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return `GET ${url}: ${cause?.message ?? (error as Error).message}`;
  }
}

/** Whether anything accepts TCP connections on 127.0.0.1:port. */
export function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });
}
