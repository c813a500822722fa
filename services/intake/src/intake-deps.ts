import { ContentStore, contentStoreOptionsFromConfig } from '@triage/content-store';
import type { Logger } from '@triage/logging';
import { connectionFromConfig, createRecordProducer, deployedTopic, pipelineTopics } from '@triage/messaging';
import { createCodec } from '@triage/schemas';
import type { IntakeAppDeps } from './app.ts';
import { sweepSpool } from './bundles/request-body.ts';
import { InFlightUploads } from './bundles/upload-watch.ts';
import { bundleLimitsFromConfig, type IntakeConfig } from './config.ts';
import { PartnerDirectory } from './partners/partner-directory.ts';
import { KeyedSerialQueue } from './pipeline/keyed-serial-queue.ts';
import { PipelineGate } from './pipeline/pipeline-gate.ts';
import { ReceiptBook } from './pipeline/receipt-book.ts';
import { StagingSpace } from './pipeline/staging-space.ts';
import { UploadSlots } from './pipeline/upload-slots.ts';

/** How long a staged or spooled file must lie untouched before start-up takes it for a leftover. */
const leftoverAgeMs = 60 * 60_000;

export interface IntakeClients {
  deps: IntakeAppDeps;
  /** The uploads still arriving, for shutdown to end after its grace. */
  inFlight: InFlightUploads;
  /** Sweeps leftover staging and spool files, starts loading the status table (in the background) and the lag checks. */
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
  const gate = new PipelineGate({
    connection,
    bundlesTopic: topics.bundles,
    splitterGroupId: config.INTAKE_SPLITTER_GROUP_ID,
    maxPendingBundles: config.INTAKE_MAX_PENDING_BUNDLES,
    checkIntervalMs: config.INTAKE_LAG_CHECK_INTERVAL_MS,
    logger,
  });
  const producer = createRecordProducer(connection, 'intake', {
    deliveryTimeoutMs: config.INTAKE_PUBLISH_TIMEOUT_MS,
  });
  const partners = await PartnerDirectory.open({ file: config.INTAKE_PARTNERS_FILE, logger });
  if (partners.partnerCount === 0) logger.warn('no partner has a key yet: `pnpm triage partners key-create`');
  const inFlight = new InFlightUploads();
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
      limits: bundleLimitsFromConfig(config),
      spoolDir: config.INTAKE_SPOOL_DIR,
      uploads: new UploadSlots({ maxPerPartner: config.INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER }),
      staging: new StagingSpace({
        folders: [config.CONTENT_STORE_ROOT, config.INTAKE_SPOOL_DIR],
        minFreeBytes: config.INTAKE_MIN_FREE_STAGING_BYTES,
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
      // Staged files and spooled ZIPs a killed process left behind (an hour untouched: a live
      // upload keeps writing); bundles wait until the status table is read.
      const staged = await store.sweepStaging(leftoverAgeMs);
      const spooled = await sweepSpool(config.INTAKE_SPOOL_DIR, leftoverAgeMs);
      if (staged + spooled > 0)
        logger.info({ staged, spooled }, 'removed files a stopped intake left behind');
      void receipts.start();
      await gate.start();
    },
    async close() {
      await Promise.all([producer.close(), receipts.close(), gate.close()]);
      partners.close();
    },
  };
}
