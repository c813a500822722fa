export {
  type KafkaFixture,
  kafkaBrokers,
  kafkaTest,
  type ReadRecord,
  type ReadUntil,
  readTopic,
} from './kafka-fixture.ts';
