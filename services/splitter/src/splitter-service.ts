import type { Logger } from '@triage/logging';
import {
  ConsumerRunner,
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
  type RunnerMetricsSnapshot,
} from '@triage/messaging';
import type { Codec } from '@triage/schemas';
import { type ChunkLimits, defaultChunkLimits } from './send-in-chunks.ts';
import { createSplitHandler } from './split-handler.ts';

export interface SplitterServiceDeps {
  connection: KafkaConnection;
  codec: Codec;
  logger: Logger;
  groupId: string;
  /** Produce-call limits for a bundle's reports and items (default 500 records / 512 KiB). */
  chunkLimits?: ChunkLimits;
  /** Stamps the split status's `updatedAt`. */
  clock?: () => number;
}

export interface SplitterService {
  start(): Promise<void>;
  stop(): Promise<void>;
  metrics(): RunnerMetricsSnapshot;
}

/** The splitter deployable: one consumer group on intake.bundles. */
export function createSplitterService(deps: SplitterServiceDeps): SplitterService {
  const { connection, codec, logger } = deps;
  const topic = (name: string) => deployedTopic(connection, name);
  const producer = createRecordProducer(connection, 'splitter');
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
    handle: createSplitHandler({
      codec,
      producer,
      topics: {
        reports: topic(pipelineTopics.reports.name),
        items: topic(pipelineTopics.items.name),
        bundleStatus: topic(pipelineTopics.bundleStatus.name),
      },
      chunkLimits: deps.chunkLimits ?? defaultChunkLimits,
      clock: deps.clock ?? Date.now,
      logger,
    }),
  });

  return {
    start: () => runner.start(),
    async stop() {
      await runner.stop();
      await producer.close();
    },
    metrics: () => runner.metrics(),
  };
}
