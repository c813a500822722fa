import type { Report, ReportFile } from '@triage/schemas';

/**
 * The shared contract of bundle parsing. Manifest parsers (JSON, CyberTipline XML) produce a
 * `ParsedManifest`; package readers (ZIP, directory, multipart in intake) stream each media
 * entry into a `MediaSink`; `assembleBundle` joins the two into `AssembledReport`s. Intake then
 * adds the envelope (bundle id, report ids and versions, received-at) to make Avro `Bundle`s.
 */

/** Report fields a manifest supplies; the envelope fields are intake's to set. */
export type ReportFields = Omit<
  Report,
  | 'reportId'
  | 'partnerId'
  | 'partnerReportId'
  | 'version'
  | 'bundleId'
  | 'receivedAt'
  | 'itemCount'
  | 'fileIds'
>;

/** File fields a manifest supplies; the stored-bytes fields come from the media sink. */
export type FileFields = Omit<ReportFile, 'sha256' | 'size' | 'mediaType' | 'partnerHashChecks'>;

/** One file as the manifest names it. */
export interface ParsedFile {
  /** Name of the media entry in the package (relative path, `/` separators) that holds the bytes. */
  readonly entryName: string;
  /** Where the file is described, e.g. `/reports/0/files/2` or `fileDetails-2.xml#/fileDetails`. */
  readonly pointer: string;
  readonly fields: FileFields;
}

export interface ParsedReport {
  readonly partnerReportId: string;
  /** Where the report is described, e.g. `/reports/0` or `report.xml#/report`. */
  readonly pointer: string;
  readonly fields: ReportFields;
  readonly files: readonly ParsedFile[];
}

export type ManifestFormat = 'json' | 'xml';

export interface ParsedManifest {
  readonly format: ManifestFormat;
  /** The partner's bundle reference from the manifest; null when it must come from the request. */
  readonly partnerBundleRef: string | null;
  readonly reports: readonly ParsedReport[];
}

/** What a media sink learnt while storing (or only hashing) one entry's bytes. */
export interface StoredMedia {
  readonly sha256: string;
  readonly md5: string;
  readonly sha1: string;
  readonly size: number;
  /** Sniffed from the bytes, never the partner's claim. */
  readonly mediaType: string;
}

/** Where package readers put media bytes: intake stages them in the content store, `bundle validate` only hashes. */
export interface MediaSink {
  /** Consumes `bytes` fully; rejects (and keeps nothing) when the stream fails or breaks a limit. */
  accept(entryName: string, bytes: NodeJS.ReadableStream): Promise<StoredMedia>;
}

export interface AssembledReport {
  readonly partnerReportId: string;
  readonly pointer: string;
  readonly fields: ReportFields;
  /** Complete Avro files: manifest fields, stored-bytes fields and partner hash checks. */
  readonly files: readonly ReportFile[];
}

export interface AssembledBundle {
  readonly format: ManifestFormat;
  readonly partnerBundleRef: string | null;
  readonly reports: readonly AssembledReport[];
  /** Drift notes of every report, for the receipt (each report's own are in its fields). */
  readonly driftNoteCount: number;
}
