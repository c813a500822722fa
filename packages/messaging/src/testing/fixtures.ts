// Vitest fixtures: import from '@triage/messaging/testing/fixtures' in tests only (they need
// vitest's runner). The plain helpers are re-exported here so a test needs one import.

export * from './index.ts';
export { type KafkaFixture, kafkaBrokers, kafkaTest } from './kafka-fixture.ts';
