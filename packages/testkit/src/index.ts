// Test helpers usable anywhere (no vitest imports). The Kafka fixtures are `@triage/messaging/testing`.

export { freePort } from './free-port.ts';
export {
  peakRssOf,
  type ServiceProcess,
  type ServiceProcessOptions,
  startServiceProcess,
} from './service-process.ts';
export {
  type ImageFamily,
  imageFamily,
  type NearDuplicateEdit,
  nearDuplicateEdits,
  seededRandom,
  syntheticImage,
} from './synthetic-images.ts';
export { centralOffsets, makeZip, patchCentralRecord, renameEntry, type ZipEntrySpec } from './test-zips.ts';
