// Vitest fixtures: import from '@triage/messaging/testing/fixtures' in tests only (they need
// vitest's runner). The plain helpers are repeated here so a test needs one import.
export { type KafkaFixture, kafkaBrokers, kafkaTest } from './kafka-fixture.ts';
export {
  committedRecordCount,
  type ReadRecord,
  type ReadUntil,
  readTopic,
  topicRecordCount,
} from './read-topic.ts';
