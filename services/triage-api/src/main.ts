import { AuditTrail } from '@triage/audit';
import { ContentStore, contentStoreOptionsFromConfig } from '@triage/content-store';
import { readListEntries } from '@triage/hash-lists';
import { readServerTls, tlsFilesOf } from '@triage/http-security';
import { createLogger } from '@triage/logging';
import {
  connectionFromConfig,
  createRecordProducer,
  deployedTopic,
  pipelineTopics,
  topicProbe,
} from '@triage/messaging';
import { createMetricsRegistry, startOpsServer } from '@triage/metrics';
import { createSearchClient, indexPrefix } from '@triage/search';
import sharp from 'sharp';
import { ActionLog } from './actions/action-log.ts';
import { followedCategoryBook } from './actions/category-book.ts';
import { buildApp, readinessProbes } from './app.ts';
import { createTriageApiAuth } from './auth-deps.ts';
import { consoleDirOf, loadTriageApiConfig, mediaDepsFromConfig } from './config.ts';
import { readConsoleBundle } from './console/console-bundle.ts';
import { checkReadiness } from './health/readiness.ts';

const config = loadTriageApiConfig(process.env);
// Before any client starts: a bad certificate or key stops the start, naming its variable.
const tlsFiles = tlsFilesOf('TRIAGE_API', config);
const tls = tlsFiles === null ? undefined : await readServerTls(tlsFiles);
// Decoded media is not kept in libvips' operation cache once its request is answered.
sharp.cache(false);
const logger = createLogger({ name: 'triage-api', level: config.LOG_LEVEL });
const auth = await createTriageApiAuth(config, logger);
const connection = connectionFromConfig(config, 'triage-api');
// acks=all: an audit event is acknowledged by every in-sync replica before the read is answered.
const producer = createRecordProducer(connection, 'triage-api-audit');
const auditTopic = deployedTopic(connection, pipelineTopics.audit.name);
const trail = new AuditTrail({
  producer,
  topic: auditTopic,
  writerId: config.TRIAGE_API_INSTANCE_ID,
  logger,
});
// The same acks=all producer writes the analysts' actions, keyed by report id.
const actions = new ActionLog({
  producer,
  topic: deployedTopic(connection, pipelineTopics.triageActions.name),
});
// Every item's category state, folded from the action log before the first request is taken.
const categories = followedCategoryBook({ connection, logger, dir: config.TRIAGE_API_STATE_DIR });
await categories.start();
const client = createSearchClient({ url: config.ELASTICSEARCH_URL });
const kafkaReadiness = topicProbe(connection, auditTopic, 2_000);
const consoleDir = consoleDirOf(config);
const consoleBundle = await readConsoleBundle(consoleDir);
if (consoleBundle === null) {
  logger.warn(
    { consoleDir },
    'no console bundle (run `pnpm console:build`): the API runs without the console',
  );
}
const search = { client, prefix: indexPrefix(config.KAFKA_TOPIC_PREFIX) };
const readiness = readinessProbes({ keysReady: auth.keysReady, kafkaReady: kafkaReadiness.probe, search });
const metrics = createMetricsRegistry({ service: 'triage-api' });
const app = await buildApp({
  logger,
  ...auth,
  kafkaReady: kafkaReadiness.probe,
  trail,
  actions,
  categories,
  listEntries: (list) => readListEntries(connection, list),
  search,
  metrics,
  readiness,
  media: mediaDepsFromConfig(config, new ContentStore(contentStoreOptionsFromConfig(config))),
  maxPdqDistance: config.TRIAGE_API_HASH_MAX_PDQ_DISTANCE,
  hosterRefreshMs: config.TRIAGE_API_HOSTER_REFRESH_MS,
  console: consoleBundle,
  tls,
});

// Metrics on their own port: never reachable on the analysts' one.
const ops = await startOpsServer({
  service: 'triage-api',
  registry: metrics,
  readiness: async () => {
    const { ready, ...checks } = await checkReadiness(readiness);
    return { ready, checks };
  },
  host: config.OPS_HOST,
  port: config.TRIAGE_API_OPS_PORT,
  logger,
});
await app.listen({ port: config.TRIAGE_API_PORT, host: config.TRIAGE_API_HOST });

process.once('SIGTERM', () => {
  logger.info('SIGTERM: no new requests, finishing the ones in flight');
  void app
    .close()
    .then(() =>
      Promise.all([
        producer.close(),
        categories.close(),
        client.close(),
        kafkaReadiness.close(),
        ops.close(),
      ]),
    )
    .then(() => process.exit(0));
});
