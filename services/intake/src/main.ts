import { createLogger } from '@triage/logging';
import { buildApp } from './app.ts';
import { loadIntakeConfig } from './config.ts';
import { createIntakeClients } from './intake-deps.ts';

const config = loadIntakeConfig(process.env);
const logger = createLogger({ name: 'intake', level: config.LOG_LEVEL });
const clients = await createIntakeClients(config, logger);
const app = await buildApp(clients.deps);

await clients.start();
await app.listen({ port: config.INTAKE_PORT, host: config.INTAKE_HOST });

process.once('SIGTERM', () => {
  logger.info('SIGTERM: no new requests, finishing the ones in flight');
  // close() stops accepting and waits for in-flight requests; then their clients go.
  void app
    .close()
    .then(() => clients.close())
    .then(() => process.exit(0));
});
