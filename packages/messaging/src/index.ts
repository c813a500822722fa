export { applyAcls, toKafkaAcl } from './acl/apply-acls.ts';
export {
  type AclBinding,
  describeAcl,
  type KafkaService,
  kafkaServices,
  type ServiceAclOptions,
  serviceAccess,
  serviceAcls,
  transactionalIdPrefix,
} from './acl/service-acls.ts';
export { ConsumerRunner } from './consumer/consumer-runner.ts';
export {
  backoffDelay,
  decideOnFailure,
  type FailureDecision,
  type FailurePolicy,
} from './consumer/failure-policy.ts';
export type { InboundRecord } from './consumer/inbound-record.ts';
export type {
  HandlingHistogram,
  RunnerLifecycle,
  RunnerMetricsSnapshot,
  StageSnapshot,
} from './consumer/runner-metrics.ts';
export {
  type ConsumerRunnerOptions,
  resolveRunnerOptions,
  runnerDefaults,
} from './consumer/runner-options.ts';
export {
  type BatchFlush,
  type FailedRecord,
  type FlushResult,
  type HandlerContext,
  type Output,
  type Outputs,
  outputBarrier,
  type RecordHandler,
} from './consumer/runner-types.ts';
export {
  type DeadLetterRecordOptions,
  deadLetterFor,
  deadLetterHeaders,
  deadLetterRecord,
} from './dead-letter/dead-letter.ts';
export { type DeadLetterFilter, isNarrowed, parseTimeBound } from './dead-letter/dead-letter-filter.ts';
export { type DeadLetterId, parseDeadLetterId } from './dead-letter/dead-letter-id.ts';
export {
  existingTopics,
  type ReadDeadLettersOptions,
  readDeadLetter,
  readDeadLetters,
  type StoredDeadLetter,
} from './dead-letter/read-dead-letters.ts';
export {
  type RedriveAction,
  type RedriveOptions,
  type RedrivePlanEntry,
  type RedriveResult,
  redriveDeadLetters,
} from './dead-letter/redrive-dead-letters.ts';
export { readRedriveLedger } from './dead-letter/redrive-ledger.ts';
export { redriveHeader } from './dead-letter/redrive-marker.ts';
export {
  ErasureLedger,
  type ErasureLedgerOptions,
  erasureLedgerRecord,
  erasureLedgerTopic,
  readErasureLedger,
} from './erasure/erasure-ledger.ts';
export {
  baseClientOptions,
  connectionFromConfig,
  deployedTopic,
  type KafkaConnection,
  type KafkaEnv,
  kafkaError,
  probeClientOptions,
} from './kafka/connection.ts';
export { type ConsumerLag, consumerLag, topicOffsets, topicPartitions } from './kafka/consumer-lag.ts';
export {
  applyGroupReset,
  groupMembers,
  type PartitionReset,
  planGroupReset,
  type ResetTarget,
} from './kafka/group-offsets.ts';
export {
  type KafkaSasl,
  type KafkaSecurityEnv,
  type KafkaSecurityPlan,
  type KafkaTls,
  kafkaSecurityPlan,
  loadKafkaSecurity,
} from './kafka/kafka-security.ts';
export { type TopicProbe, topicProbe } from './kafka/topic-probe.ts';
export { chunkRecords, defaultSendLimits, RecordChunker, type SendLimits } from './producer/chunk-records.ts';
export { OutputSink, type OutputSinkOptions, type OwnedRecord } from './producer/output-sink.ts';
export {
  createRecordProducer,
  type OutboundRecord,
  type RecordProducer,
} from './producer/record-producer.ts';
export {
  createTransactionalProducer,
  type TransactionalProducer,
  type TransactionalProducerOptions,
} from './producer/transactional-producer.ts';
export {
  createGlobalTable,
  DiskGlobalTable,
  type DiskGlobalTableOptions,
} from './state/disk-global-table.ts';
export {
  createKeyedStore,
  DiskKeyedStateStore,
  type DiskKeyedStateStoreOptions,
  type PartitionRestore,
} from './state/disk-keyed-state-store.ts';
export type { DiskStore, DiskTable, SourceOffsets, StoreCheckpoint } from './state/disk-store.ts';
export { GlobalTable, type GlobalTableOptions, type MaterialisedTable } from './state/global-table.ts';
export {
  KeyedStateStore,
  type KeyedStateStoreOptions,
  type KeyedStore,
  type PartitionedStore,
} from './state/keyed-state-store.ts';
export { type LmdbStoreOptions, openLmdbStore } from './state/lmdb-store.ts';
export { PartitionReader, type PartitionReaderOptions, type TableRecord } from './state/partition-reader.ts';
export { recordCodec } from './state/record-codec.ts';
export {
  type StoredRecord,
  TopicDiskCache,
  type TopicDiskCacheOptions,
} from './state/topic-disk-cache.ts';
export {
  UndecodableRecords,
  type UndecodableRecordsOptions,
  type ValueCodec,
} from './state/undecodable-records.ts';
export {
  type BootstrapOptions,
  type BootstrapResult,
  bootstrapTopics,
  type TopicDrift,
  topicConfigs,
  withDeadLetterTopics,
} from './topics/bootstrap-topics.ts';
export {
  allTopics,
  bundleRecordMaxBytes,
  opsTopics,
  type PipelineTopicId,
  pipelineTopics,
  reportPartitions,
  stateTopics,
} from './topics/pipeline-topics.ts';
export {
  laneGroupId,
  laneTopicPrefix,
  type PipelineStage,
  parseRebuildLane,
  pipelineStageNames,
  pipelineStages,
  type RebuildLane,
  rebuildLane,
} from './topics/rebuild-lane.ts';
export {
  type DriftEntry,
  type DriftFix,
  type ObservedConfig,
  type ObservedTopic,
  topicDrift,
} from './topics/topic-drift.ts';
export {
  changelogSpec,
  deadLetterSpec,
  deadLetterTopicName,
  defaultRetryPolicy,
  type RetryPolicy,
  type TopicSpec,
} from './topics/topic-spec.ts';
