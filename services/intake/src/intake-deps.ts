import { hostname } from 'node:os';
import { ContentStore, contentStoreOptionsFromConfig } from '@triage/content-store';
import type { Logger } from '@triage/logging';
import {
  connectionFromConfig,
  createTransactionalProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
  transactionalIdPrefix,
} from '@triage/messaging';
import { createCodec } from '@triage/schemas';
import type { IntakeAppDeps } from './app.ts';
import { InFlightUploads } from './bundles/upload-watch.ts';
import { ZipSpool } from './bundles/zip-spool.ts';
import { bundleLimitsFromConfig, type IntakeConfig } from './config.ts';
import { PartnerDirectory } from './partners/partner-directory.ts';
import { KeyedSerialQueue } from './pipeline/keyed-serial-queue.ts';
import { LeftoverSweeper } from './pipeline/leftover-sweeper.ts';
import { bundlesTopicReferences, MediaReclaim } from './pipeline/media-reclaim.ts';
import { PipelineGate } from './pipeline/pipeline-gate.ts';
import { ReceiptBook } from './pipeline/receipt-book.ts';
import { StagingSpace } from './pipeline/staging-space.ts';
import { UnpublishedMedia } from './pipeline/unpublished-media.ts';
import { UploadSlots } from './pipeline/upload-slots.ts';
import { TakedownBook } from './takedowns/takedown-book.ts';

export interface IntakeClients {
  deps: IntakeAppDeps;
  /** The uploads still arriving, for shutdown to end after its grace. */
  inFlight: InFlightUploads;
  /** Sweeps leftovers (then every INTAKE_SWEEP_INTERVAL_MS), starts loading the status table (in the background) and the lag checks. */
  start(): Promise<void>;
  /** Closes the clients after the server has stopped taking requests. */
  close(): Promise<void>;
}

/** The clients intake's routes use, built from the config. */
export async function createIntakeClients(config: IntakeConfig, logger: Logger): Promise<IntakeClients> {
  const connection = connectionFromConfig(config, 'intake');
  const topics = {
    bundles: deployedTopic(connection, pipelineTopics.bundles.name),
    status: deployedTopic(connection, pipelineTopics.bundleStatus.name),
    takedowns: deployedTopic(connection, pipelineTopics.takedowns.name),
  };
  const codec = createCodec();
  const store = new ContentStore(contentStoreOptionsFromConfig(config));
  const receipts = new ReceiptBook({
    connection,
    topic: topics.status,
    codec,
    logger,
    dir: config.INTAKE_RECEIPTS_DIR,
  });
  const takedowns = new TakedownBook({
    connection,
    topic: topics.takedowns,
    codec,
    logger,
    dir: config.INTAKE_TAKEDOWNS_DIR,
  });
  const gate = new PipelineGate({
    connection,
    bundlesTopic: topics.bundles,
    splitterGroupId: config.INTAKE_SPLITTER_GROUP_ID,
    maxPendingBundles: config.INTAKE_MAX_PENDING_BUNDLES,
    checkIntervalMs: config.INTAKE_LAG_CHECK_INTERVAL_MS,
    logger,
  });
  // A bundle and its receipt are one transaction: no reader sees one without the other (ADR 0016).
  const producer = createTransactionalProducer(connection, 'intake', {
    transactionalId: intakeTransactionalId(connection, config.INTAKE_INSTANCE_ID || hostname()),
    concurrency: config.INTAKE_PUBLISH_CONCURRENCY,
    deliveryTimeoutMs: config.INTAKE_PUBLISH_TIMEOUT_MS,
    ...crashHook(logger),
  });
  const partners = await PartnerDirectory.open({ file: config.INTAKE_PARTNERS_FILE, logger });
  if (partners.partnerCount === 0) logger.warn('no partner has a key yet: `pnpm triage partners key-create`');
  const inFlight = new InFlightUploads();
  // Spools are encrypted under a throwaway key whenever the store encrypts at rest.
  const spool = new ZipSpool({
    dir: config.INTAKE_SPOOL_DIR,
    encrypt: store.encrypted,
    memoryBytes: config.INTAKE_ZIP_MEMORY_BYTES,
  });
  const unpublished = new UnpublishedMedia({ dir: config.INTAKE_RECLAIM_DIR });
  const sweeper = new LeftoverSweeper({
    store,
    spool,
    reclaim: new MediaReclaim({
      store,
      journal: unpublished,
      references: bundlesTopicReferences({
        connection,
        topic: topics.bundles,
        timeoutMs: config.INTAKE_RECLAIM_SCAN_TIMEOUT_MS,
      }),
      graceMs: config.INTAKE_RECLAIM_GRACE_MS,
      logger,
    }),
    leftoverAgeMs: config.INTAKE_LEFTOVER_AGE_MS,
    intervalMs: config.INTAKE_SWEEP_INTERVAL_MS,
    logger,
  });
  return {
    inFlight,
    deps: {
      logger,
      partners,
      store,
      gate,
      receipts,
      producer,
      codec,
      topics,
      // Takedown events go through the same transactional producer: one request, one transaction.
      takedowns: { book: takedowns, topic: topics.takedowns },
      limits: bundleLimitsFromConfig(config),
      spool,
      unpublished,
      uploads: new UploadSlots({ maxPerPartner: config.INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER }),
      staging: new StagingSpace({
        folders: [config.CONTENT_STORE_ROOT, config.INTAKE_SPOOL_DIR],
        minFreeBytes: config.INTAKE_MIN_FREE_STAGING_BYTES,
        maxAgeMs: 1_000,
      }),
      uploadPace: {
        idleMs: config.INTAKE_BODY_IDLE_TIMEOUT_MS,
        minBytesPerSecond: config.INTAKE_MIN_BODY_BYTES_PER_SECOND,
        rateWindowMs: config.INTAKE_BODY_RATE_WINDOW_MS,
        deadlineMs: config.INTAKE_BODY_DEADLINE_MS,
      },
      inFlight,
      queue: new KeyedSerialQueue(),
      clock: Date.now,
    },
    async start() {
      // Staged files and spooled ZIPs a killed process left behind (untouched for
      // INTAKE_LEFTOVER_AGE_MS: a live upload keeps writing), then periodically; bundles wait
      // until the status table is read.
      await sweeper.start();
      void receipts.start();
      // Only POST /v1/takedowns waits for it (503 until then); bundles and readiness do not.
      void takedowns.start();
      // Aborts what a predecessor of this instance left open; the first bundle waits for it anyway.
      void producer.start().catch((error: unknown) => {
        logger.warn({ err: error }, 'transactional ids not registered yet: bundles wait for them');
      });
      await gate.start();
    },
    async close() {
      await sweeper.stop();
      await Promise.all([producer.close(), receipts.close(), takedowns.close(), gate.close()]);
      partners.close();
    },
  };
}

/** This instance's transactional id for bundles and receipts, under the prefix its ACL grants. */
export function intakeTransactionalId(connection: KafkaConnection, instanceId: string): string {
  return `${transactionalIdPrefix(connection, 'bundles')}${instanceId}`;
}

/**
 * Test-only fault: `INTAKE_TEST_CRASH_AFTER=bundle-publish` kills the process after the bundle
 * and its receipt are written and before their transaction commits. Honoured only under the test
 * runner (VITEST, which the intake processes a test starts inherit), so no deployment can turn it
 * on by setting one variable.
 */
function crashHook(logger: Logger): { beforeCommit?: () => void } {
  if (process.env.INTAKE_TEST_CRASH_AFTER !== 'bundle-publish') return {};
  if (process.env.VITEST === undefined) {
    logger.warn('INTAKE_TEST_CRASH_AFTER is ignored outside the test runner');
    return {};
  }
  return { beforeCommit: () => process.kill(process.pid, 'SIGKILL') };
}
