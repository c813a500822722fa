// Test helpers usable anywhere (no vitest imports). The Kafka fixtures are `@triage/messaging/testing`.

export { freePort, startOnFreePort } from './free-port.ts';
export {
  type CraftedCentral,
  type CraftedLocal,
  centralFor,
  craftZip,
  honestZip,
  hostileManifest,
  localHeader,
  lyingDeclaredSize,
  lyingLocalHeader,
  manySmallEntries,
  overlappingEntries,
  quotedOverlapBomb,
  sharedLocalBomb,
  type ZipEntryFields,
  zipEntry,
} from './hostile-zips.ts';
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
export {
  centralOffsets,
  localOffsets,
  makeZip,
  patchCentralRecord,
  patchLocalHeader,
  renameEntry,
  type ZipEntrySpec,
} from './test-zips.ts';
export {
  type LegacyHandshakeOptions,
  legacyHandshake,
  selfSignedCertificate,
  type TestCertificate,
  type TlsRequestOptions,
  type TlsResponse,
  tlsRequest,
} from './tls.ts';
