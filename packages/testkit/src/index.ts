// Test helpers usable anywhere (no vitest imports); the vitest fixtures are in './fixtures.ts'.

export { deletePrefixedTopics } from './prefixed-topics.ts';
export {
  type ImageFamily,
  imageFamily,
  type NearDuplicateEdit,
  nearDuplicateEdits,
  seededRandom,
  syntheticImage,
} from './synthetic-images.ts';
export { centralOffsets, makeZip, patchCentralRecord, renameEntry, type ZipEntrySpec } from './test-zips.ts';
