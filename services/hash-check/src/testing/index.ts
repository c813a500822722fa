// An in-process hash-check on a real socket, for the integration tests and the benchmark.
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '@triage/logging';
import type { KafkaConnection } from '@triage/messaging';
import { buildApp } from '../app.ts';
import { hashCheckEnv } from '../config.ts';
import { createHashCheckClients, type HashCheckSettings } from '../hash-check-deps.ts';

export interface StartHashCheckOptions {
  connection: KafkaConnection;
  hostersFile: string;
  /** Settings over the configuration defaults (the answer floor is 0 unless given). */
  settings?: Partial<HashCheckSettings>;
  logger?: Logger;
}

export interface RunningHashCheck {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** Starts the service as main.ts does (lists read from hashsets.v1 before it returns), on a free port. */
export async function startHashCheck(options: StartHashCheckOptions): Promise<RunningHashCheck> {
  const defaults = Object.fromEntries(
    Object.entries(hashCheckEnv).map(([name, schema]) => [name, schema.safeParse(undefined).data]),
  ) as HashCheckSettings;
  const settings: HashCheckSettings = {
    ...defaults,
    HASH_CHECK_ANSWER_FLOOR_MS: 0,
    ...options.settings,
    HASH_CHECK_HOSTERS_FILE: options.hostersFile,
  };
  const logger = options.logger ?? createLogger({ name: 'hash-check-test', level: 'silent' });
  const clients = await createHashCheckClients(settings, options.connection, logger);
  const app = await buildApp({ ...clients.deps, logger });
  await clients.start();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await clients.close();
    },
  };
}
