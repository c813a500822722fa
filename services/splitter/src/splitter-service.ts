import type { Logger } from '@triage/logging';
import {
  ConsumerRunner,
  createRecordProducer,
  defaultSendLimits,
  deployedTopic,
  ErasureLedger,
  type KafkaConnection,
  pipelineTopics,
  type RunnerMetricsSnapshot,
  type SendLimits,
  type StageSnapshot,
} from '@triage/messaging';
import type { Codec } from '@triage/schemas';
import { createSplitHandler } from './split-handler.ts';

export interface SplitterServiceDeps {
  connection: KafkaConnection;
  codec: Codec;
  logger: Logger;
  groupId: string;
  /**
   * Produce-call limits for a bundle's reports and items (default 500 records / 512 KiB). A
   * report's records share a partition, so `maxBytes` must stay under the topics'
   * `max.message.bytes` (1 MiB by default) or a viral report is refused whole.
   */
  chunkLimits?: SendLimits;
  /** Stamps the split status's `updatedAt`. */
  clock?: () => number;
}

export interface SplitterService {
  start(): Promise<void>;
  stop(): Promise<void>;
  metrics(): RunnerMetricsSnapshot;
  /** Every runner's counters and the global tables' sizes, for the ops server's /metrics and /readyz. */
  snapshot(): StageSnapshot;
}

/** The splitter deployable: one consumer group on intake.bundles. */
export function createSplitterService(deps: SplitterServiceDeps): SplitterService {
  const { connection, codec, logger } = deps;
  const topic = (name: string) => deployedTopic(connection, name);
  const producer = createRecordProducer(connection, 'splitter');
  // A bundle split again (a replay from the splitter) leaves erased reports out (ADR 0020).
  const erasures = new ErasureLedger({ name: 'splitter-erasures', connection, codec, logger });
  const runner = new ConsumerRunner({
    stage: 'splitter',
    connection,
    groupId: deps.groupId,
    input: pipelineTopics.bundles,
    producer,
    logger,
    codec,
    // A bundle record may be 16 MiB: few per batch keeps what is buffered bounded.
    maxBatchRecords: 4,
    sendLimits: deps.chunkLimits ?? defaultSendLimits,
    handle: createSplitHandler({
      codec,
      topics: {
        reports: topic(pipelineTopics.reports.name),
        items: topic(pipelineTopics.items.name),
        bundleStatus: topic(pipelineTopics.bundleStatus.name),
      },
      clock: deps.clock ?? Date.now,
      logger,
      erased: (reportId) => erasures.has(reportId),
    }),
  });

  return {
    async start() {
      await erasures.start();
      await runner.start();
    },
    async stop() {
      await runner.stop();
      await erasures.close();
      await producer.close();
    },
    metrics: () => runner.metrics(),
    snapshot: () => ({ runners: [runner.metrics()], tables: {} }),
  };
}
