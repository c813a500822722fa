import { readServerTls, tlsFilesOf } from '@triage/http-security';
import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { buildApp } from './app.ts';
import { loadHashCheckConfig } from './config.ts';
import { createHashCheckClients } from './hash-check-deps.ts';

const config = loadHashCheckConfig(process.env);
// Before any client starts: a bad certificate or key stops the start, naming its variable.
const tlsFiles = tlsFilesOf('HASH_CHECK', config);
const tls = tlsFiles === null ? undefined : await readServerTls(tlsFiles);
const logger = createLogger({ name: 'hash-check', level: config.LOG_LEVEL });
const clients = await createHashCheckClients(config, connectionFromConfig(config, 'hash-check'), logger);
const app = await buildApp({ ...clients.deps, logger, tls });

// Listening first: /readyz says not-ready and batches get 503 until the lists are read.
await app.listen({ port: config.HASH_CHECK_PORT, host: config.HASH_CHECK_HOST });
await clients.start();

process.once('SIGTERM', () => {
  // close() stops accepting and waits for the batches in flight; then the clients go.
  void app
    .close()
    .then(() => clients.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'hash-check shutdown failed');
        process.exit(1);
      },
    );
});
