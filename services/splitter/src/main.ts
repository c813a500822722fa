import { createLogger } from '@triage/logging';
import { createCodec } from '@triage/schemas';
import { loadSplitterConfig } from './config.ts';
import { createSplitterService } from './splitter-service.ts';

const config = loadSplitterConfig(process.env);
const logger = createLogger({ name: 'splitter', level: config.LOG_LEVEL });
const service = createSplitterService({
  connection: {
    brokers: config.KAFKA_BROKERS,
    clientId: `${config.KAFKA_CLIENT_ID}-splitter`,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
  },
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
