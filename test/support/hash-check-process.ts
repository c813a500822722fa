// The hash-check service as an operator runs it: its main.ts in a process of its own on a free
// port, over the test's prefixed topics and a hosters file the test wrote.
import { fileURLToPath } from 'node:url';
import type { KafkaConnection } from '@triage/messaging';
import { type ServiceProcess, startOnFreePort, startServiceProcess } from '@triage/testkit';

const hashCheckMain = fileURLToPath(new URL('../../services/hash-check/src/main.ts', import.meta.url));

export interface HashCheckProcess extends ServiceProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

/** Starts `node services/hash-check/src/main.ts` (no answer floor, so tests are not slowed); resolves once /readyz answers 200. */
export async function startHashCheckProcess(options: {
  connection: KafkaConnection;
  hostersFile: string;
  env?: Record<string, string>;
}): Promise<HashCheckProcess> {
  return startOnFreePort(async (port) => {
    const url = `http://127.0.0.1:${port}`;
    const started = await startServiceProcess({
      name: 'hash-check',
      script: hashCheckMain,
      readyUrl: `${url}/readyz`,
      env: {
        KAFKA_BROKERS: options.connection.brokers.join(','),
        KAFKA_CLIENT_ID: options.connection.clientId,
        KAFKA_TOPIC_PREFIX: options.connection.topicPrefix ?? '',
        HASH_CHECK_PORT: String(port),
        HASH_CHECK_OPS_PORT: '0',
        HASH_CHECK_HOSTERS_FILE: options.hostersFile,
        HASH_CHECK_ANSWER_FLOOR_MS: '0',
        LOG_LEVEL: 'warn',
        ...options.env,
      },
    });
    return { ...started, url };
  });
}
