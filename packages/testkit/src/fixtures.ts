// Vitest fixtures: import from '@triage/testkit/fixtures' in tests only (they need vitest's runner).
export {
  type KafkaFixture,
  kafkaBrokers,
  kafkaTest,
  type ReadRecord,
  type ReadUntil,
  readTopic,
} from './kafka-fixture.ts';
