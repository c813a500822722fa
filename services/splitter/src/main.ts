import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { startStageOps } from '@triage/metrics';
import { createCodec } from '@triage/schemas';
import { loadSplitterConfig } from './config.ts';
import { createSplitterService } from './splitter-service.ts';

const config = loadSplitterConfig(process.env);
const logger = createLogger({ name: 'splitter', level: config.LOG_LEVEL });
const service = createSplitterService({
  connection: connectionFromConfig(config, 'splitter'),
  codec: createCodec(),
  logger,
  groupId: config.SPLITTER_GROUP_ID,
});

// The ops port first: /healthz answers (and /readyz says not yet) while tables load and the groups join.
const ops = await startStageOps({
  service: 'splitter',
  snapshot: () => service.snapshot(),
  host: config.OPS_HOST,
  port: config.SPLITTER_OPS_PORT,
  logger,
});

// Ordered stop: finish and commit the bundle in hand, leave the group, then close the producer.
process.once('SIGTERM', () => {
  logger.info('SIGTERM: draining');
  void service
    .stop()
    .then(() => ops.close())
    .then(() => process.exit(0));
});
await service.start();
logger.info('splitter started');
