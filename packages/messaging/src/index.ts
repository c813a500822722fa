export {
  type BatchFlush,
  ConsumerRunner,
  type ConsumerRunnerOptions,
  type HandlerContext,
  type RecordHandler,
} from './consumer/consumer-runner.ts';
export { backoffDelay, decideOnFailure, type FailureDecision } from './consumer/failure-policy.ts';
export type { InboundRecord } from './consumer/inbound-record.ts';
export type { RunnerMetricsSnapshot } from './consumer/runner-metrics.ts';
export { deadLetterFor } from './dead-letter/dead-letter.ts';
export {
  baseClientOptions,
  connectionFromConfig,
  deployedTopic,
  type KafkaConnection,
  type KafkaEnv,
  kafkaError,
} from './kafka/connection.ts';
export { type ConsumerLag, consumerLag } from './kafka/consumer-lag.ts';
export { chunkRecords, defaultSendLimits, type SendLimits } from './producer/chunk-records.ts';
export {
  createRecordProducer,
  type OutboundRecord,
  type RecordProducer,
} from './producer/record-producer.ts';
export { GlobalTable, type GlobalTableOptions } from './state/global-table.ts';
export {
  KeyedStateStore,
  type KeyedStateStoreOptions,
  type PartitionedStore,
  type ValueCodec,
} from './state/keyed-state-store.ts';
export { PartitionReader, type PartitionReaderOptions, type TableRecord } from './state/partition-reader.ts';
export { recordCodec } from './state/record-codec.ts';
export {
  type BootstrapOptions,
  type BootstrapResult,
  bootstrapTopics,
  topicConfigs,
  withDeadLetterTopics,
} from './topics/bootstrap-topics.ts';
export {
  allTopics,
  bundleRecordMaxBytes,
  type PipelineTopicId,
  pipelineTopics,
  reportPartitions,
  stateTopics,
} from './topics/pipeline-topics.ts';
export {
  changelogSpec,
  deadLetterSpec,
  deadLetterTopicName,
  defaultRetryPolicy,
  type RetryPolicy,
  type TopicSpec,
} from './topics/topic-spec.ts';
