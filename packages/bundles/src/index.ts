export {
  documentsTooLarge,
  PackageCollector,
  type PackageCollectorOptions,
} from './assembly/package-collector.ts';
export { type BundleEnvelope, bundleContentDigest, toBundleRecord } from './envelope/bundle-record.ts';
export { bundleIdFor, reportIdFor } from './envelope/ids.ts';
export { jsonManifestJsonSchema } from './json/json-manifest-schema.ts';
export { parseJsonManifest } from './json/parse-json-manifest.ts';
export { type BundleLimits, bundleLimitsSchema, defaultBundleLimits, fileTooLargeError } from './limits.ts';
export { readDirectoryPackage } from './package/directory-package.ts';
export { createHashingMediaSink } from './package/hashing-media-sink.ts';
export { readZipPackage, readZipSource, type ZipSource } from './package/zip-package.ts';
export type {
  AssembledBundle,
  AssembledReport,
  FileFields,
  ManifestFormat,
  MediaSink,
  ParsedFile,
  ParsedManifest,
  ParsedReport,
  ReportFields,
  StoredMedia,
} from './parsed-bundle.ts';
export {
  partnerHashIssues,
  reportedUrls,
  type SplitOptions,
  type SplitResult,
  type SplitStatusFacts,
  splitBundle,
  splitBundleStatus,
  splitStatusKey,
} from './split/index.ts';
export { type ValidateBundleOptions, validateBundlePath } from './validate/validate-bundle-path.ts';
export {
  type ParsedFileDetailsDocument,
  type ParsedReportDocument,
  parseFileDetailsDocument,
  parseReportDocument,
  xmlRootElement,
} from './xml/index.ts';
