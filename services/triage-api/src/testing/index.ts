// Test helpers of the triage API for other workspaces (e2e tests, benchmarks): import from
// '@triage/triage-api/testing' in tests only.

export { heldRecorder } from './action-fixtures.ts';
export { startTestApi, type TestApi, type TestApiOptions } from './api-harness.ts';
export { startTriageApiProcess, type TriageApiProcess, type TriageApiProcessOptions } from './api-process.ts';
export { itemCarrying } from './media-fixtures.ts';
export { type MemoryRecorder, memoryRecorder, type SeedCase, seedCases } from './read-fixtures.ts';
