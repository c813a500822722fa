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
  reportedUrls,
  type SplitOptions,
  type SplitResult,
  type SplitStatusFacts,
  splitBundle,
  splitBundleStatus,
  splitStatusKey,
} from './split/index.ts';
