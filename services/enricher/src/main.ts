import { enrichmentOptionsFromConfig, NetworkEnricher } from '@triage/enrichment';
import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { startStageOps } from '@triage/metrics';
import { createCodec } from '@triage/schemas';
import { loadEnricherConfig } from './config.ts';
import { createEnricherService } from './enricher-service.ts';

const config = loadEnricherConfig(process.env);
const logger = createLogger({ name: 'enricher', level: config.LOG_LEVEL });
const enricher = await NetworkEnricher.open(
  enrichmentOptionsFromConfig(config, {
    onReload: (database) => logger.info({ database }, 'database reloaded'),
    onReloadError: (error) =>
      logger.error({ err: error }, 'database reload failed; the previous data stays in use'),
  }),
);
logger.info({ databases: enricher.databases, homeCountry: enricher.homeCountry }, 'databases loaded');
const service = createEnricherService({
  connection: connectionFromConfig(config, 'enricher'),
  codec: createCodec(),
  logger,
  groupId: config.ENRICHER_GROUP_ID,
  enricher,
});

// The ops port first: /healthz answers (and /readyz says not yet) while tables load and the groups join.
const ops = await startStageOps({
  service: 'enricher',
  snapshot: () => service.snapshot(),
  host: config.OPS_HOST,
  port: config.ENRICHER_OPS_PORT,
  logger,
});

// Ordered stop: finish and commit the batch in hand, leave the group, close the producer, stop watching files.
process.once('SIGTERM', () => {
  logger.info('SIGTERM: draining');
  void service
    .stop()
    .then(() => enricher.close())
    .then(() => ops.close())
    .then(() => process.exit(0));
});
await service.start();
logger.info('enricher started');
