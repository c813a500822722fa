import { readServerTls, tlsFilesOf } from '@triage/http-security';
import { createLogger } from '@triage/logging';
import { createMetricsRegistry, startOpsServer } from '@triage/metrics';
import { buildApp } from './app.ts';
import { loadIntakeConfig } from './config.ts';
import { createIntakeClients } from './intake-deps.ts';
import { intakeReadiness } from './routes/health-routes.ts';
import { shutDown } from './shutdown.ts';

const config = loadIntakeConfig(process.env);
// Before any client starts: a bad certificate or key stops the start, naming its variable.
const tlsFiles = tlsFilesOf('INTAKE', config);
const tls = tlsFiles === null ? undefined : await readServerTls(tlsFiles);
const logger = createLogger({ name: 'intake', level: config.LOG_LEVEL });
const clients = await createIntakeClients(config, logger);
const metrics = createMetricsRegistry({ service: 'intake' });
const app = await buildApp({ ...clients.deps, metrics, tls });
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
  void shutDown({
    // close() stops accepting and waits for in-flight requests; then their clients go.
    closeServer: () => app.close(),
    closeClients: () => clients.close().then(() => ops.close()),
    inFlight: clients.inFlight,
    graceMs: config.INTAKE_SHUTDOWN_GRACE_MS,
    // An accept step that began before the grace ended has its publish timeout to finish.
    hardStopMs: config.INTAKE_SHUTDOWN_GRACE_MS + config.INTAKE_PUBLISH_TIMEOUT_MS + 5_000,
    logger,
    exit: (code) => process.exit(code),
  });
});
