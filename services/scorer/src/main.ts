import { enrichmentOptionsFromConfig, NetworkEnricher } from '@triage/enrichment';
import { createLogger } from '@triage/logging';
import { connectionFromConfig } from '@triage/messaging';
import { startStageOps } from '@triage/metrics';
import { createCodec } from '@triage/schemas';
import { loadRules } from '@triage/scoring';
import { loadScorerConfig } from './config.ts';
import { createScorerService } from './scorer-service.ts';
import { suspectIdKeys } from './suspect-id-keys.ts';

const config = loadScorerConfig(process.env);
// Before anything connects: without the shared secret the scorer refuses to start.
const identifierKeys = suspectIdKeys(config);
const logger = createLogger({ name: 'scorer', level: config.LOG_LEVEL });
const rules = loadRules(config.SCORING_RULES_FILE);
const enricher = await NetworkEnricher.open(
  enrichmentOptionsFromConfig(config, {
    onReloadError: (error) =>
      logger.error({ err: error }, 'database reload failed; the previous data stays in use'),
  }),
);
const service = createScorerService({
  connection: connectionFromConfig(config, 'scorer'),
  codec: createCodec(),
  logger,
  groupId: config.SCORER_GROUP_ID,
  rules,
  enricher,
  provisionalEvery: config.SCORER_PROVISIONAL_EVERY,
  quietMs: config.SCORER_QUIET_MS,
  openWindowMs: config.SCORER_OPEN_WINDOW_MS,
  stateDir: config.SCORER_STATE_DIR,
  stateCacheEntries: config.SCORER_STATE_CACHE_ENTRIES,
  identifierKeys,
  rescoreLists: config.SCORER_RESCORE_LISTS,
});

// The ops port first: /healthz answers (and /readyz says not yet) while tables load and the groups join.
const ops = await startStageOps({
  service: 'scorer',
  snapshot: () => service.snapshot(),
  host: config.OPS_HOST,
  port: config.SCORER_OPS_PORT,
  logger,
});

// Ordered stop: finish and commit the batch in hand, leave the group, close the rest, stop watching files.
process.once('SIGTERM', () => {
  logger.info('SIGTERM: draining');
  void service
    .stop()
    .then(() => enricher.close())
    .then(() => ops.close())
    .then(() => process.exit(0));
});
await service.start();
