// The hasher and the scorer as an operator runs them (their main.ts in a process of their own),
// several instances on one deployment, each with its own state folder: for tests that kill one
// instance of a group and watch its partitions move.
import { fileURLToPath } from 'node:url';
import type { KafkaConnection } from '@triage/messaging';
import { freePort, type ServiceProcess, startServiceProcess } from '@triage/testkit';

const mainScripts = {
  hasher: fileURLToPath(new URL('../../services/hasher/src/main.ts', import.meta.url)),
  scorer: fileURLToPath(new URL('../../services/scorer/src/main.ts', import.meta.url)),
} as const;

type StageName = keyof typeof mainScripts;

export interface StageProcessOptions {
  stage: StageName;
  /** Brokers and topic prefix; the caller has created the topics. */
  connection: KafkaConnection;
  /** Names the instance (its Kafka client id): `hasher-b`. */
  instance: string;
  /**
   * Consumer group ids, made unique per deployment by the caller (groups are not prefixed like
   * topics): the hasher's `hasher` and `dedupe`, the scorer's `scorer`.
   */
  groups: Readonly<Record<string, string>>;
  /** This instance's own state folder (`HASHER_STATE_DIR` or `SCORER_STATE_DIR`); kept over a restart. */
  stateDir: string;
  /** More environment (`CONTENT_STORE_ROOT` for the hasher, `LOG_LEVEL`...). */
  env?: Record<string, string>;
}

export interface StageProcess extends ServiceProcess {
  readonly options: StageProcessOptions;
  /** Input partitions each of its groups holds now, by group id (from `/readyz`); null while not ready. */
  assignments(): Promise<Record<string, number[]> | null>;
  /** SIGKILL: no drain, no offset commit, no leaving the group; resolves once it has exited. */
  kill(): Promise<void>;
}

function stageEnv(options: StageProcessOptions, opsPort: number): Record<string, string> {
  const { connection, groups } = options;
  const common = {
    KAFKA_BROKERS: connection.brokers.join(','),
    KAFKA_CLIENT_ID: options.instance,
    KAFKA_TOPIC_PREFIX: connection.topicPrefix ?? '',
    LOG_LEVEL: 'info',
  };
  if (options.stage === 'hasher') {
    return {
      ...common,
      HASHER_OPS_PORT: String(opsPort),
      HASHER_GROUP_ID: groups.hasher ?? 'hasher',
      DEDUPE_GROUP_ID: groups.dedupe ?? 'dedupe',
      HASHER_STATE_DIR: options.stateDir,
      // Two cores for the whole machine: one thread per instance.
      HASHER_THREADS: '1',
    };
  }
  return {
    ...common,
    SCORER_OPS_PORT: String(opsPort),
    SCORER_GROUP_ID: groups.scorer ?? 'scorer',
    SCORER_STATE_DIR: options.stateDir,
    // Every instance must key identifiers alike; the public development key does in a test.
    SUSPECT_ID_HMAC_DEVELOPMENT_KEY: 'true',
  };
}

/** Starts `node services/<stage>/src/main.ts`; resolves once its `/readyz` answers 200 (tables loaded, groups joined). */
export async function startStageProcess(options: StageProcessOptions): Promise<StageProcess> {
  const opsPort = await freePort();
  const readyUrl = `http://127.0.0.1:${opsPort}/readyz`;
  const service = await startServiceProcess({
    name: options.instance,
    script: mainScripts[options.stage],
    readyUrl,
    env: { ...stageEnv(options, opsPort), ...options.env },
  });
  return {
    ...service,
    options,
    async assignments() {
      const response = await fetch(readyUrl).catch(() => undefined);
      if (response?.status !== 200) return null;
      const body = (await response.json()) as { checks: Record<string, { partitions: number[] }> };
      return Object.fromEntries(
        Object.entries(body.checks).map(([groupId, check]) => [groupId, check.partitions]),
      );
    },
    async kill() {
      process.kill(service.pid, 'SIGKILL');
      // Already dying: `stop` only waits for the exit.
      await service.stop();
    },
  };
}

/** The JSON log lines (pino) of a process's output with this message. */
export function logLines(output: string, message: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(message))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === message);
}
