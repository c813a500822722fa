import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Admin } from '@platformatic/kafka';

/** The Kafka cluster the bake-off measures against, and how to take it down and bring it back. */
export interface BrokerUnderTest {
  readonly brokers: readonly string[];
  readonly nodes: number;
  readonly kafkaVersion: string;
  /** How the broker was provided, for the report. */
  readonly description: string;
  /** What the recovery check's crash does to this cluster, for the report. */
  readonly outage: string;
  /** Kills every Kafka node (SIGKILL: a crash, not a clean shutdown). */
  crash(): Promise<void>;
  /** Starts the nodes again and resolves once every broker serves metadata. */
  restart(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once a metadata request lists `nodes` brokers (the port opens before the broker serves). */
async function waitForBrokers(brokers: readonly string[], nodes: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const admin = new Admin({
      clientId: 'bench-probe',
      bootstrapBrokers: [...brokers],
      retries: 0,
      timeout: 2000,
    });
    try {
      const metadata = await admin.metadata({ topics: [], forceUpdate: true });
      if (metadata.brokers.size >= nodes) return;
      lastError = new Error(`${metadata.brokers.size} of ${nodes} brokers listed`);
    } catch (error) {
      lastError = error;
    } finally {
      await admin.close().catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(`Kafka at ${brokers.join(',')} not ready after ${timeoutMs / 1000} s`, {
    cause: lastError,
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs the processes and waits until they are gone. */
async function killPids(pids: readonly number[]): Promise<void> {
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline)
      throw new Error(`Kafka processes ${pids.join(', ')} still alive after SIGKILL`);
    await sleep(50);
  }
}

/**
 * A broker someone else runs: BENCH_KAFKA_BROKERS (comma-separated host:port), optionally
 * BENCH_KAFKA_PID_FILES (comma-separated) and BENCH_KAFKA_START (a shell command) so the recovery
 * check can crash and restart it, and BENCH_KAFKA_VERSION / BENCH_KAFKA_NODES for the report.
 */
export function externalBroker(env: NodeJS.ProcessEnv): BrokerUnderTest | undefined {
  const list = env.BENCH_KAFKA_BROKERS;
  if (!list) return undefined;
  const brokers = list.split(',').map((broker) => broker.trim());
  const nodes = Number(env.BENCH_KAFKA_NODES ?? brokers.length);
  const pidFiles = (env.BENCH_KAFKA_PID_FILES ?? '').split(',').filter(Boolean);
  const start = env.BENCH_KAFKA_START;
  return {
    brokers,
    nodes,
    kafkaVersion: env.BENCH_KAFKA_VERSION ?? 'unknown',
    description: `external broker (BENCH_KAFKA_BROKERS=${list})`,
    outage: `the processes of BENCH_KAFKA_PID_FILES killed`,
    async crash() {
      if (pidFiles.length === 0)
        throw new Error('BENCH_KAFKA_PID_FILES is needed to stop an external broker');
      const pids = await Promise.all(
        pidFiles.map(async (file) => Number((await readFile(file, 'utf8')).trim())),
      );
      await killPids(pids);
    },
    async restart() {
      if (!start) throw new Error('BENCH_KAFKA_START is needed to restart an external broker');
      await new Promise<void>((resolve, reject) =>
        execFile('sh', ['-c', start], (error) => (error ? reject(error) : resolve())),
      );
      await waitForBrokers(brokers, nodes);
    },
  };
}
