export {
  type KafkaFixture,
  kafkaBrokers,
  kafkaTest,
  type ReadRecord,
  type ReadUntil,
  readTopic,
} from './kafka-fixture.ts';
export {
  type ImageFamily,
  imageFamily,
  type NearDuplicateEdit,
  nearDuplicateEdits,
  seededRandom,
  syntheticImage,
} from './synthetic-images.ts';
