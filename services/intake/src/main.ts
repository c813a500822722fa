import { createLogger } from '@triage/logging';
import { createMetricsRegistry, startOpsServer } from '@triage/metrics';
import { buildApp } from './app.ts';
import { loadIntakeConfig } from './config.ts';
import { createIntakeClients } from './intake-deps.ts';
import { intakeReadiness } from './routes/health-routes.ts';

const config = loadIntakeConfig(process.env);
const logger = createLogger({ name: 'intake', level: config.LOG_LEVEL });
const clients = await createIntakeClients(config, logger);
const metrics = createMetricsRegistry({ service: 'intake' });
const app = await buildApp({ ...clients.deps, metrics });
// Metrics on their own port: never reachable on the partners' one.
const ops = await startOpsServer({
  service: 'intake',
  registry: metrics,
  readiness: () => intakeReadiness(clients.deps),
  host: config.OPS_HOST,
  port: config.INTAKE_OPS_PORT,
  logger,
});

await clients.start();
await app.listen({ port: config.INTAKE_PORT, host: config.INTAKE_HOST });

process.once('SIGTERM', () => {
  logger.info('SIGTERM: no new requests, finishing the ones in flight');
  // close() stops accepting and waits for in-flight requests; then their clients go.
  void app
    .close()
    .then(() => clients.close())
    .then(() => ops.close())
    .then(() => process.exit(0));
});
