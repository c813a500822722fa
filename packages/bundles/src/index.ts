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
