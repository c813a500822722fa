import { availableParallelism } from 'node:os';
import { contentStoreOptionsFromConfig } from '@triage/content-store';
import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { createCodec } from '@triage/schemas';
import { loadHasherConfig } from './config.ts';
import { createHasherService } from './hasher-service.ts';
import { createPooledMediaHasher } from './media-hasher.ts';

const config = loadHasherConfig(process.env);
const logger = createLogger({ name: 'hasher', level: config.LOG_LEVEL });
const service = createHasherService({
  connection: connectionFromConfig(config, 'hasher'),
  codec: createCodec(),
  mediaHasher: createPooledMediaHasher({
    contentStore: contentStoreOptionsFromConfig(config),
    maxPixels: config.MEDIA_MAX_PIXELS,
    threads: config.HASHER_THREADS || availableParallelism(),
  }),
  logger,
  hasherGroupId: config.HASHER_GROUP_ID,
  dedupeGroupId: config.DEDUPE_GROUP_ID,
  pdqMatchDistance: config.PDQ_MATCH_DISTANCE,
  pdqMinQuality: config.PDQ_MIN_QUALITY,
});

process.once('SIGTERM', () => {
  logger.info('SIGTERM: draining');
  void service.stop().then(() => process.exit(0));
});
await service.start();
logger.info('hasher started');
