import { createHash } from 'node:crypto';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { TriageError } from '@triage/errors';
import type { DriftNote, ReportFile } from '@triage/schemas';
import { quoted } from '../echo.ts';
import { parseJsonManifest } from '../json/parse-json-manifest.ts';
import { type BundleLimits, fileTooLargeError } from '../limits.ts';
import { assertSafeEntryName, baseName } from '../package/entry-name.ts';
import type {
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
} from '../parsed-bundle.ts';
import { parseFileDetailsDocument, parseReportDocument } from '../xml/index.ts';
import { documentKind } from './document-kind.ts';
import { checkPartnerHashes } from './partner-hash-checks.ts';

export interface PackageCollectorOptions {
  readonly limits: BundleLimits;
  /** Where media bytes go: intake's content-store staging, or a hashing-only sink offline. */
  readonly sink: MediaSink;
  /** The request's partner report id (query parameter / CLI option); used by XML packages only. */
  readonly reportId?: string;
  /** The request's bundle reference (Idempotency-Key header / CLI option). */
  readonly bundleRef?: string;
}

interface JsonDocument {
  readonly name: string;
  readonly manifest: ParsedManifest;
}

interface ReportDocument {
  readonly name: string;
  readonly fields: ReportFields;
  readonly sha256: string;
}

interface FileDetailsDocument {
  readonly name: string;
  readonly partnerReportId: string;
  readonly fileId: string;
  readonly entryNameCandidates: readonly string[];
  readonly fields: FileFields;
  readonly driftNotes: readonly DriftNote[];
}

/** The documents of one bundle together are over maxTotalDocumentBytes; `name` is the one that passed it. */
export function documentsTooLarge(name: string, limits: BundleLimits): TriageError {
  const limit = limits.maxTotalDocumentBytes;
  return new TriageError(
    'TRIAGE_BUNDLE_DOCUMENTS_TOO_LARGE',
    `${name} brings the bundle's documents over the ${limit} bytes they may have together (maxTotalDocumentBytes)`,
    { pointer: name, details: { limit, limitName: 'maxTotalDocumentBytes' } },
  );
}

/**
 * About what parsed fields keep: string characters plus 8 bytes per other value, walked rather
 * than serialised, so measuring a 16 MiB document's fields allocates nothing.
 */
function keptBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value === null || typeof value !== 'object') return 8;
  let total = 8;
  for (const item of Array.isArray(value) ? value : Object.values(value)) total += keptBytes(item);
  return total;
}

const inconsistent = (message: string, pointer: string) =>
  new TriageError('TRIAGE_BUNDLE_INCONSISTENT', message, { pointer });

/**
 * Gathers one package's documents and media, whatever the transport (ZIP, directory,
 * multipart), and joins them. Documents are checked as they arrive, so a bad manifest fails the
 * upload before its media is read; media goes to the sink as a stream.
 */
export class PackageCollector {
  readonly #limits: BundleLimits;
  readonly #sink: MediaSink;
  readonly #reportId: string | undefined;
  readonly #bundleRef: string | undefined;
  #json: JsonDocument | null = null;
  #report: ReportDocument | null = null;
  readonly #fileDetails: FileDetailsDocument[] = [];
  readonly #fileDetailsIds = new Set<string>();
  readonly #media = new Map<string, StoredMedia>();
  readonly #mediaPending = new Set<string>();
  /** Running budgets: bytes of every document so far, and of the metadata kept from them. */
  #documentBytes = 0;
  #metadataBytes = 0;
  #finished = false;

  constructor(options: PackageCollectorOptions) {
    this.#limits = options.limits;
    this.#sink = options.sink;
    this.#reportId = options.reportId;
    this.#bundleRef = options.bundleRef;
  }

  /** A manifest or XML document, told apart by name (`bundle.json`) or XML root element. */
  addDocument(name: string, bytes: Buffer): void {
    this.#assertOpen();
    assertSafeEntryName(name);
    if (bytes.length > this.#limits.maxDocumentBytes) {
      throw new TriageError(
        'TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE',
        `${name} has ${bytes.length} bytes, more than the ${this.#limits.maxDocumentBytes} a document may have`,
        { pointer: name, details: { limit: this.#limits.maxDocumentBytes } },
      );
    }
    this.#documentBytes += bytes.length;
    if (this.#documentBytes > this.#limits.maxTotalDocumentBytes) {
      throw documentsTooLarge(name, this.#limits);
    }
    const kind = documentKind(name, bytes);
    switch (kind) {
      case 'json':
        this.#addJson(name, bytes);
        return;
      case 'report':
      case 'unreadable':
        // An unreadable document goes to the report parser, whose error says what is wrong.
        this.#addReport(name, bytes);
        return;
      case 'fileDetails':
        this.#addFileDetails(name, bytes);
        return;
      case 'other':
        throw new TriageError(
          'TRIAGE_BUNDLE_XML_SCHEMA',
          `${name}: root element is neither <report> nor <fileDetails>`,
          { pointer: `${name}#/` },
        );
    }
  }

  /** Document bytes the bundle may still bring (a reader refuses a document at this many, before it is whole). */
  get documentBytesLeft(): number {
    return Math.max(0, this.#limits.maxTotalDocumentBytes - this.#documentBytes);
  }

  /** Streams one media entry into the sink, enforcing maxFileBytes on the actual bytes. */
  async addMedia(name: string, bytes: NodeJS.ReadableStream): Promise<StoredMedia> {
    this.#assertOpen();
    assertSafeEntryName(name);
    if (this.#media.has(name) || this.#mediaPending.has(name)) {
      throw inconsistent(`Two media entries are named ${JSON.stringify(name)}`, name);
    }
    if (this.#media.size + this.#mediaPending.size >= this.#limits.maxEntries) {
      throw new TriageError(
        'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
        `More than ${this.#limits.maxEntries} media entries in the package`,
        { pointer: name, details: { limit: this.#limits.maxEntries } },
      );
    }
    this.#mediaPending.add(name);
    const limited = new FileSizeLimiter(name, this.#limits);
    // Errors and destroys go both ways: a sink that gives up (a refused bundle) stops the source
    // at once, even one still waiting for bytes, and a failing source fails the sink's read.
    pipeline(bytes, limited, () => undefined);
    try {
      const stored = await this.#sink.accept(name, limited);
      this.#media.set(name, stored);
      return stored;
    } catch (error) {
      // The limiter's own error is the cause, whatever the sink made of it.
      throw limited.error ?? error;
    } finally {
      limited.destroy();
      this.#mediaPending.delete(name);
    }
  }

  /**
   * Refuses media names the documents read so far do not name, before their bytes are read: a
   * JSON manifest's entry names, or a fileDetails document's file name, id or original name (as
   * a path or a base name). Without a manifest the package is refused as `finish` would.
   */
  assertMediaNamed(names: readonly string[]): void {
    if (names.length === 0) return;
    const isNamed = this.#entryNamePredicate();
    for (const name of names) {
      if (!isNamed(name)) {
        throw new TriageError(
          'TRIAGE_BUNDLE_FILE_UNEXPECTED',
          `Media entry ${JSON.stringify(name)} is not named by the manifest`,
          { pointer: name },
        );
      }
    }
  }

  /** Whether the documents name an entry: JSON by its exact path, XML by path or base name (as `#resolveEntry`). */
  #entryNamePredicate(): (name: string) => boolean {
    if (this.#json !== null) {
      const paths = new Set(
        this.#json.manifest.reports.flatMap((report) => report.files.map((file) => file.entryName)),
      );
      return (name) => paths.has(name);
    }
    if (this.#report === null) this.#manifest();
    const candidates = new Set(this.#fileDetails.flatMap((details) => details.entryNameCandidates));
    return (name) => candidates.has(name) || candidates.has(baseName(name));
  }

  /** Joins manifest and media: FILE_MISSING, FILE_UNEXPECTED, MANIFEST_MISSING, INCONSISTENT. */
  finish(): AssembledBundle {
    this.#assertOpen();
    this.#finished = true;
    if (this.#mediaPending.size > 0) throw new Error('PackageCollector.finish: media still being stored');
    const manifest = this.#manifest();
    const partnerBundleRef = this.#partnerBundleRef(manifest);
    const used = new Set<string>();
    const reports = manifest.reports.map((report) => this.#assemble(report, manifest.format, used));
    for (const name of this.#media.keys()) {
      if (!used.has(name)) {
        throw new TriageError(
          'TRIAGE_BUNDLE_FILE_UNEXPECTED',
          `Media entry ${JSON.stringify(name)} is not named by the manifest`,
          { pointer: name },
        );
      }
    }
    return {
      format: manifest.format,
      partnerBundleRef,
      reports,
      driftNoteCount: reports.reduce((sum, report) => sum + report.fields.driftNotes.length, 0),
    };
  }

  #assertOpen(): void {
    if (this.#finished) throw new Error('PackageCollector: already finished');
  }

  #assertNoManifestYet(name: string): void {
    const existing = this.#json?.name ?? this.#report?.name;
    if (existing !== undefined) {
      throw new TriageError(
        'TRIAGE_BUNDLE_MANIFEST_MISSING',
        `More than one manifest in the package: ${existing} and ${name}`,
        { pointer: name },
      );
    }
  }

  #addJson(name: string, bytes: Buffer): void {
    this.#assertNoManifestYet(name);
    if (this.#fileDetails.length > 0) {
      throw inconsistent(
        `A JSON manifest and fileDetails documents (${this.#fileDetails[0]!.name}) in one package`,
        name,
      );
    }
    const manifest = parseJsonManifest(bytes, name);
    // The parsed manifest is about its document's size: no second serialisation to measure it.
    this.#keep(name, bytes.length);
    const { maxReports, maxFilesPerReport } = this.#limits;
    if (manifest.reports.length > maxReports) {
      throw new TriageError(
        'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
        `${manifest.reports.length} reports, more than the ${maxReports} a bundle may have`,
        { pointer: '/reports', details: { limit: maxReports } },
      );
    }
    const reportIds = new Set<string>();
    for (const report of manifest.reports) {
      if (reportIds.has(report.partnerReportId)) {
        throw inconsistent(
          `Report id ${quoted(report.partnerReportId)} appears twice`,
          `${report.pointer}/reportId`,
        );
      }
      reportIds.add(report.partnerReportId);
      if (report.files.length > maxFilesPerReport) {
        throw new TriageError(
          'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
          `${report.files.length} files, more than the ${maxFilesPerReport} a report may have`,
          { pointer: `${report.pointer}/files`, details: { limit: maxFilesPerReport } },
        );
      }
      const fileIds = new Set<string>();
      for (const file of report.files) {
        if (fileIds.has(file.fields.fileId)) {
          throw inconsistent(
            `File id ${quoted(file.fields.fileId)} appears twice in report ${quoted(report.partnerReportId)}`,
            `${file.pointer}/fileId`,
          );
        }
        fileIds.add(file.fields.fileId);
      }
    }
    this.#json = { name, manifest };
  }

  #addReport(name: string, bytes: Buffer): void {
    this.#assertNoManifestYet(name);
    const { fields } = parseReportDocument(bytes, name);
    this.#keep(name, keptBytes(fields));
    this.#report = { name, fields, sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  #addFileDetails(name: string, bytes: Buffer): void {
    if (this.#json !== null) {
      throw inconsistent(
        `A fileDetails document in a package with a JSON manifest (${this.#json.name})`,
        name,
      );
    }
    if (this.#fileDetails.length >= this.#limits.maxFilesPerReport) {
      throw new TriageError(
        'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
        `More than ${this.#limits.maxFilesPerReport} fileDetails documents, the most a report may have`,
        { pointer: name, details: { limit: this.#limits.maxFilesPerReport } },
      );
    }
    const details = parseFileDetailsDocument(bytes, name);
    this.#keep(name, keptBytes(details));
    const expected = this.#fileDetails[0]?.partnerReportId ?? this.#reportId;
    if (expected !== undefined && details.partnerReportId !== expected) {
      throw inconsistent(
        `${name} belongs to report ${quoted(details.partnerReportId)}, not ${quoted(expected)}`,
        `${name}#/fileDetails/reportId`,
      );
    }
    if (this.#fileDetailsIds.has(details.fileId)) {
      throw inconsistent(
        `File id ${quoted(details.fileId)} appears in two fileDetails documents`,
        `${name}#/fileDetails/fileId`,
      );
    }
    this.#fileDetailsIds.add(details.fileId);
    this.#fileDetails.push({ name, ...details });
  }

  /** Counts metadata kept from document `name`, refusing the bundle once it passes maxMetadataBytes. */
  #keep(name: string, bytes: number): void {
    this.#metadataBytes += bytes;
    const limit = this.#limits.maxMetadataBytes;
    if (this.#metadataBytes > limit) {
      throw new TriageError(
        'TRIAGE_BUNDLE_METADATA_TOO_LARGE',
        `${name} brings the bundle's metadata to ${this.#metadataBytes} bytes, more than the ${limit} a bundle may keep (maxMetadataBytes)`,
        { pointer: name, details: { limit, limitName: 'maxMetadataBytes' } },
      );
    }
  }

  #manifest(): ParsedManifest {
    if (this.#json !== null) return this.#json.manifest;
    if (this.#report === null) {
      const message =
        this.#fileDetails.length > 0
          ? `fileDetails documents (${this.#fileDetails[0]!.name}) without a <report> document`
          : 'The package has no manifest (bundle.json or a <report> XML document)';
      throw new TriageError('TRIAGE_BUNDLE_MANIFEST_MISSING', message, { pointer: '' });
    }
    const report = this.#report;
    const partnerReportId =
      this.#fileDetails[0]?.partnerReportId ?? this.#reportId ?? `xml-${report.sha256.slice(0, 16)}`;
    const files = this.#fileDetails.map(
      (details): ParsedFile => ({
        entryName: this.#resolveEntry(details),
        pointer: `${details.name}#/fileDetails`,
        fields: details.fields,
      }),
    );
    // ReportFile has no drift notes: a fileDetails document's notes belong to its report.
    const driftNotes = [
      ...report.fields.driftNotes,
      ...this.#fileDetails.flatMap((details) => details.driftNotes),
    ];
    return {
      format: 'xml',
      partnerBundleRef: null,
      reports: [
        {
          partnerReportId,
          pointer: `${report.name}#/report`,
          fields: { ...report.fields, driftNotes },
          files,
        },
      ],
    };
  }

  /** The entry whose path or base name equals the fileName, else the fileId, else the originalFileName. */
  #resolveEntry(details: FileDetailsDocument): string {
    for (const candidate of details.entryNameCandidates) {
      if (this.#media.has(candidate)) return candidate;
      const byBase = [...this.#media.keys()].filter((name) => baseName(name) === candidate);
      if (byBase.length === 1) return byBase[0]!;
      if (byBase.length > 1) {
        throw inconsistent(
          `${details.name}: ${quoted(candidate)} matches several entries (${byBase.join(', ')}); name the entry by its path`,
          `${details.name}#/fileDetails`,
        );
      }
    }
    throw new TriageError(
      'TRIAGE_BUNDLE_FILE_MISSING',
      `${details.name}: no media entry named ${details.entryNameCandidates.map((c) => quoted(c)).join(' or ')}`,
      { pointer: `${details.name}#/fileDetails`, details: { candidates: details.entryNameCandidates } },
    );
  }

  #partnerBundleRef(manifest: ParsedManifest): string | null {
    const fromManifest = manifest.partnerBundleRef;
    if (fromManifest !== null && this.#bundleRef !== undefined && fromManifest !== this.#bundleRef) {
      throw inconsistent(
        `The manifest's bundleRef ${quoted(fromManifest)} disagrees with the request's ${quoted(this.#bundleRef)}`,
        '/bundleRef',
      );
    }
    return fromManifest ?? this.#bundleRef ?? null;
  }

  #assemble(report: ParsedReport, format: ManifestFormat, used: Set<string>): AssembledReport {
    const files = report.files.map((file): ReportFile => {
      const media = this.#media.get(file.entryName);
      if (media === undefined) {
        const pointer = format === 'json' ? `${file.pointer}/name` : file.pointer;
        throw new TriageError(
          'TRIAGE_BUNDLE_FILE_MISSING',
          `File ${quoted(file.fields.fileId)} names entry ${quoted(file.entryName)}, which the package does not have`,
          { pointer },
        );
      }
      used.add(file.entryName);
      return {
        ...file.fields,
        sha256: media.sha256,
        size: media.size,
        mediaType: media.mediaType,
        partnerHashChecks: checkPartnerHashes(file.fields.partnerHashes, media),
      };
    });
    return { partnerReportId: report.partnerReportId, pointer: report.pointer, fields: report.fields, files };
  }
}

/** Passes a media entry's bytes on, failing once they pass the per-file limit. */
class FileSizeLimiter extends Transform {
  readonly #name: string;
  readonly #limits: BundleLimits;
  #size = 0;
  error: TriageError | null = null;

  constructor(name: string, limits: BundleLimits) {
    super();
    this.#name = name;
    this.#limits = limits;
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.#size += bytes.length;
    if (this.#size > this.#limits.maxFileBytes) {
      this.error = fileTooLargeError(this.#name, this.#limits);
      done(this.error);
      return;
    }
    done(null, bytes);
  }
}
