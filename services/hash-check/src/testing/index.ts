// An in-process hash-check on a real socket: over the Kafka lists for the integration tests, over a
// given index for the benchmark.
import type { AddressInfo } from 'node:net';
import type { KnownHashIndex } from '@triage/hash-lists';
import { createLogger, type Logger } from '@triage/logging';
import type { KafkaConnection } from '@triage/messaging';
import { buildApp } from '../app.ts';
import { hashCheckEnv } from '../config.ts';
import { createHashCheckClients, type HashCheckSettings } from '../hash-check-deps.ts';
import { HosterDirectory } from '../hoster-directory.ts';
import { DailyHashQuota } from '../policy/daily-quota.ts';
import { ProbeDetector } from '../policy/probe-detector.ts';
import type { CheckRoutesOptions } from '../routes/check-routes.ts';

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
  return listening(app, () => clients.close());
}

export interface ServeIndexOptions {
  /** The lists, already loaded (the benchmark fills the index itself instead of reading Kafka). */
  index: KnownHashIndex;
  hostersFile: string;
  /** Each batch's audit event goes here (a real AuditTrail in the benchmark). */
  audit: CheckRoutesOptions['audit'];
  answerFloorMs: number;
  maxBatch: number;
  logger?: Logger;
}

/** The service's app over a given index, on a free port: everything but the Kafka table. */
export async function serveIndex(options: ServeIndexOptions): Promise<RunningHashCheck> {
  const logger = options.logger ?? createLogger({ name: 'hash-check-bench', level: 'silent' });
  const hosters = await HosterDirectory.open({ file: options.hostersFile, logger, pollIntervalMs: 0 });
  const app = await buildApp({
    logger,
    hosters,
    lists: {
      lookup: (type, value, distance) => options.index.lookup(type, value, distance),
      ready: () => true,
    },
    audit: options.audit,
    detector: new ProbeDetector({
      nearBits: 8,
      maxBoundaryPairs: 16,
      windowMs: 3_600_000,
      cooldownMs: 3_600_000,
    }),
    quota: new DailyHashQuota(),
    limits: { maxBatch: options.maxBatch, maxPdqDistance: 31 },
    answerFloorMs: options.answerFloorMs,
    clock: Date.now,
  });
  return listening(app, async () => hosters.close());
}

/** Listens on a free loopback port; `close` stops the app, then what it ran on. */
async function listening(
  app: Awaited<ReturnType<typeof buildApp>>,
  after: () => Promise<void>,
): Promise<RunningHashCheck> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await after();
    },
  };
}
