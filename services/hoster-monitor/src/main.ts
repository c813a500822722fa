import { enrichmentOptionsFromConfig, NetworkEnricher } from '@triage/enrichment';
import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { startStageOps } from '@triage/metrics';
import { createCodec } from '@triage/schemas';
import { createSearchClient } from '@triage/search';
import { loadHosterMonitorConfig } from './config.ts';
import { createHosterMonitorService } from './hoster-monitor-service.ts';

const config = loadHosterMonitorConfig(process.env);
const logger = createLogger({ name: 'hoster-monitor', level: config.LOG_LEVEL });
const enricher = await NetworkEnricher.open(
  enrichmentOptionsFromConfig(config, {
    onReload: (database) => logger.info({ database }, 'database reloaded'),
    onReloadError: (error) =>
      logger.error({ err: error }, 'database reload failed; the previous data stays in use'),
  }),
);
const client = createSearchClient({ url: config.ELASTICSEARCH_URL });
const service = createHosterMonitorService({
  connection: connectionFromConfig(config, 'hoster-monitor'),
  codec: createCodec(),
  logger,
  client,
  enricher,
  groupId: config.HOSTER_MONITOR_GROUP_ID,
  replicas: config.HOSTER_MONITOR_ES_REPLICAS,
  maxBatchRecords: config.HOSTER_MONITOR_BATCH_RECORDS,
});

// The ops port first: /healthz answers (and /readyz says not yet) while the group joins.
const ops = await startStageOps({
  service: 'hoster-monitor',
  snapshot: () => service.snapshot(),
  host: config.OPS_HOST,
  port: config.HOSTER_MONITOR_OPS_PORT,
  logger,
});

// Ordered stop: finish the batch in hand (its bulk and offsets), leave the group, close the clients.
process.once('SIGTERM', () => {
  logger.info('SIGTERM: draining');
  void service
    .stop()
    .then(() => client.close())
    .then(() => enricher.close())
    .then(() => ops.close())
    .then(() => process.exit(0));
});
await service.start();
logger.info('hoster monitor started');
