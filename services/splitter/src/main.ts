import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
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

// Ordered stop: finish and commit the bundle in hand, leave the group, then close the producer.
process.once('SIGTERM', () => {
  logger.info('SIGTERM: draining');
  void service.stop().then(() => process.exit(0));
});
await service.start();
logger.info('splitter started');
