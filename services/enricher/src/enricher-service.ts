import type { NetworkEnricher } from '@triage/enrichment';
import type { Logger } from '@triage/logging';
import {
  ConsumerRunner,
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  pipelineTopics,
  type RunnerMetricsSnapshot,
  type StageSnapshot,
} from '@triage/messaging';
import type { Codec } from '@triage/schemas';
import { createEnrichHandler } from './enrich-handler.ts';

export interface EnricherServiceDeps {
  connection: KafkaConnection;
  codec: Codec;
  logger: Logger;
  groupId: string;
  /** Opened by the caller, who also closes it (after `stop`). */
  enricher: NetworkEnricher;
}

export interface EnricherService {
  start(): Promise<void>;
  stop(): Promise<void>;
  metrics(): RunnerMetricsSnapshot;
  /** Every runner's counters and the global tables' sizes, for the ops server's /metrics and /readyz. */
  snapshot(): StageSnapshot;
}

/** The enricher deployable: one consumer group on items.hashed, writing items.enriched. */
export function createEnricherService(deps: EnricherServiceDeps): EnricherService {
  const { connection, codec, logger } = deps;
  const producer = createRecordProducer(connection, 'enricher');
  const runner = new ConsumerRunner({
    stage: 'enricher',
    connection,
    groupId: deps.groupId,
    input: pipelineTopics.itemsHashed,
    producer,
    logger,
    codec,
    handle: createEnrichHandler({
      codec,
      enricher: deps.enricher,
      itemsEnriched: deployedTopic(connection, pipelineTopics.itemsEnriched.name),
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
    snapshot: () => ({ runners: [runner.metrics()], tables: {} }),
  };
}
