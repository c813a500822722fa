// Test and benchmark helpers on the real broker (no vitest imports): reading a topic back,
// deleting a run's prefixed topics. The vitest fixtures are in './kafka-fixture.ts'
// (`@triage/messaging/testing/fixtures`), for tests only.
export { compactedTopic, jsonRows } from './contract-rows.ts';
export { deletePrefixedTopics } from './prefixed-topics.ts';
export {
  committedRecordCount,
  type ReadRecord,
  type ReadUntil,
  readTopic,
  topicRecordCount,
} from './read-topic.ts';
