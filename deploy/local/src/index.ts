export { createKafkaTopic, fetchKafkaMetadata, type KafkaMetadata } from './kafka-probe.ts';
export { kafkaNodePorts, localStackEnv, type StackOptions } from './options.ts';
export { isAlive } from './process-control.ts';
export { kafkaProbeTopic } from './readiness.ts';
export {
  type KafkaNodeOptions,
  restartKafkaNode,
  type StackDownOptions,
  stackDown,
  stackStatus,
  stackUp,
  startKafkaNode,
  stopKafkaNode,
} from './stack.ts';
export type {
  ElasticsearchUpResult,
  KafkaNodeCount,
  KafkaSaslSslResult,
  KafkaUpResult,
  ServerRun,
  ServerStatus,
  StackDownResult,
  StackProgress,
  StackStatus,
  StackUpResult,
  StoppedServer,
} from './types.ts';
