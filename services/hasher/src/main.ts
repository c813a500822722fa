import { availableParallelism } from 'node:os';
import { contentStoreOptionsFromConfig } from '@triage/content-store';
import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { startStageOps } from '@triage/metrics';
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
  stateDir: config.HASHER_STATE_DIR,
  stateCacheEntries: config.HASHER_STATE_CACHE_ENTRIES,
});

// The ops port first: /healthz answers (and /readyz says not yet) while tables load and the groups join.
const ops = await startStageOps({
  service: 'hasher',
  snapshot: () => service.snapshot(),
  host: config.OPS_HOST,
  port: config.HASHER_OPS_PORT,
  logger,
});

process.once('SIGTERM', () => {
  logger.info('SIGTERM: draining');
  void service
    .stop()
    .then(() => ops.close())
    .then(() => process.exit(0));
});
await service.start();
logger.info('hasher started');
