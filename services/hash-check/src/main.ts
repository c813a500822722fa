import { readServerTls, tlsFilesOf } from '@triage/http-security';
import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { createMetricsRegistry, startOpsServer } from '@triage/metrics';
import { buildApp } from './app.ts';
import { loadHashCheckConfig } from './config.ts';
import { createHashCheckClients } from './hash-check-deps.ts';

const config = loadHashCheckConfig(process.env);
// Before any client starts: a bad certificate or key stops the start, naming its variable.
const tlsFiles = tlsFilesOf('HASH_CHECK', config);
const tls = tlsFiles === null ? undefined : await readServerTls(tlsFiles);
const logger = createLogger({ name: 'hash-check', level: config.LOG_LEVEL });
const clients = await createHashCheckClients(config, connectionFromConfig(config, 'hash-check'), logger);
const metrics = createMetricsRegistry({ service: 'hash-check' });
const app = await buildApp({ ...clients.deps, logger, metrics, tls });
// Metrics on their own port: never reachable on the hosters' one.
const ops = await startOpsServer({
  service: 'hash-check',
  registry: metrics,
  readiness: () => ({ ready: clients.deps.lists.ready(), checks: { lists: clients.deps.lists.ready() } }),
  host: config.OPS_HOST,
  port: config.HASH_CHECK_OPS_PORT,
  logger,
});

// Listening first: /readyz says not-ready and batches get 503 until the lists are read.
await app.listen({ port: config.HASH_CHECK_PORT, host: config.HASH_CHECK_HOST });
await clients.start();

process.once('SIGTERM', () => {
  // close() stops accepting and waits for the batches in flight; then the clients go.
  void app
    .close()
    .then(() => clients.close())
    .then(() => ops.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'hash-check shutdown failed');
        process.exit(1);
      },
    );
});
