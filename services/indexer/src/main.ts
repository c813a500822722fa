import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { startStageOps } from '@triage/metrics';
import { createCodec } from '@triage/schemas';
import { createSearchClient } from '@triage/search';
import { loadIndexerConfig } from './config.ts';
import { createIndexerService } from './indexer-service.ts';

const config = loadIndexerConfig(process.env);
const logger = createLogger({ name: 'indexer', level: config.LOG_LEVEL });
const client = createSearchClient({ url: config.ELASTICSEARCH_URL });
const service = createIndexerService({
  connection: connectionFromConfig(config, 'indexer'),
  codec: createCodec(),
  logger,
  client,
  groupId: config.INDEXER_GROUP_ID,
  replicas: config.INDEXER_ES_REPLICAS,
  maxBatchRecords: config.INDEXER_BATCH_RECORDS,
});

// The ops port first: /healthz answers (and /readyz says not yet) while tables load and the groups join.
const ops = await startStageOps({
  service: 'indexer',
  snapshot: () => service.snapshot(),
  host: config.OPS_HOST,
  port: config.INDEXER_OPS_PORT,
  logger,
});

// Ordered stop: finish the batch in hand (its bulk and offsets), leave the groups, close the client.
process.once('SIGTERM', () => {
  logger.info('SIGTERM: draining');
  void service
    .stop()
    .then(() => client.close())
    .then(() => ops.close())
    .then(() => process.exit(0));
});
await service.start();
