import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { TriageError } from '@triage/errors';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { isDocumentCandidate } from '../assembly/document-kind.ts';
import type { PackageCollector } from '../assembly/package-collector.ts';
import { type BundleLimits, fileTooLargeError, RATIO_EXEMPT_BYTES, uncompressedLimit } from '../limits.ts';
import { assertSafeEntryName, isNoiseEntry } from './entry-name.ts';
import { readPackageDocument } from './package-document.ts';
import { type CentralEntry, checkCentralLayout, checkLocalLayout, type LocalHeader } from './zip-layout.ts';

const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 0x1;

interface PlannedEntry {
  readonly entry: Entry;
  readonly name: string;
  readonly isDocument: boolean;
}

/** Inflated bytes of the whole archive so far, shared by its entries. */
interface InflateBudget {
  inflated: number;
}

const zipInvalid = (message: string, pointer: string, cause?: unknown) =>
  new TriageError('TRIAGE_BUNDLE_ZIP_INVALID', message, {
    pointer,
    ...(cause === undefined ? {} : { cause }),
  });

const zipBomb = (message: string, pointer: string, details: Record<string, unknown>) =>
  new TriageError('TRIAGE_BUNDLE_ZIP_BOMB', message, { pointer, details });

/**
 * Reads a ZIP package into the collector. The whole central directory is checked before any
 * entry's data is read (entry count, names, duplicates, encryption, compression method,
 * declared sizes and ratios), then every local header against it (no shared or overlapping
 * entries, no disagreement, the archive's declared expansion); then documents are read first,
 * so a bad manifest or a media name it does not list fails before any media is stored, and
 * media is streamed to the sink while the actual inflated bytes are counted against the same
 * limits (headers are never trusted alone). Nested archives are media like any other: never opened.
 */
export async function readZipPackage(
  zipPath: string,
  collector: PackageCollector,
  limits: BundleLimits,
): Promise<void> {
  const { size } = await stat(zipPath);
  await readOpened(size, () => yauzl.openPromise(zipPath, zipOptions), collector, limits);
}

/** A ZIP read by byte range (an encrypted spool, decrypted segment by segment as yauzl seeks). */
export interface ZipSource {
  /** Bytes of the ZIP itself. */
  readonly size: number;
  /** Bytes `start` to `end` (exclusive). */
  readRange(start: number, end: number): Readable;
}

/** `readZipPackage` for a ZIP that is not a plain file: the same checks, in the same order. */
export async function readZipSource(
  source: ZipSource,
  collector: PackageCollector,
  limits: BundleLimits,
): Promise<void> {
  const reader = new SourceReader(source);
  await readOpened(
    source.size,
    () => yauzl.fromRandomAccessReaderPromise(reader, source.size, zipOptions),
    collector,
    limits,
  );
}

class SourceReader extends yauzl.RandomAccessReader {
  readonly #source: ZipSource;

  constructor(source: ZipSource) {
    super();
    this.#source = source;
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return this.#source.readRange(start, end);
  }
}

async function readOpened(
  size: number,
  open: () => Promise<ZipFile>,
  collector: PackageCollector,
  limits: BundleLimits,
): Promise<void> {
  if (size > limits.maxBundleBytes) {
    throw new TriageError(
      'TRIAGE_BUNDLE_TOO_LARGE',
      `The ZIP file has ${size} bytes, more than the ${limits.maxBundleBytes} a bundle may have`,
      { pointer: '', details: { limit: limits.maxBundleBytes } },
    );
  }
  let zip: ZipFile;
  try {
    zip = await open();
  } catch (error) {
    throw zipInvalid(`Not a readable ZIP file: ${(error as Error).message}`, '', error);
  }
  try {
    await readZipArchive(zip, size, collector, limits);
  } finally {
    zip.close();
  }
}

/** How yauzl opens a package: names and sizes are checked here, to answer with our codes and the entry's name. */
export const zipOptions = {
  autoClose: false,
  decodeStrings: false,
  validateEntrySizes: false,
  strictFileNames: true,
} as const;

/**
 * Reads an opened archive of `archiveBytes` bytes: the central directory record by record, then
 * every local header against it (sharing, overlap, disagreement, archive expansion), then the
 * media names against the manifest, all before a media byte is inflated.
 */
export async function readZipArchive(
  zip: ZipFile,
  archiveBytes: number,
  collector: PackageCollector,
  limits: BundleLimits,
): Promise<void> {
  if (zip.entryCount > limits.maxEntries) {
    throw new TriageError(
      'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
      `The ZIP has ${zip.entryCount} entries, more than the ${limits.maxEntries} a package may have`,
      { pointer: '', details: { limit: limits.maxEntries, entries: zip.entryCount } },
    );
  }
  // yauzl starts its directory cursor at the central directory's offset.
  const directoryOffset = Number(zip.readEntryCursor);
  const { planned, central } = await planEntries(zip, limits);
  const layout = { entries: central, directoryOffset, archiveBytes };
  checkCentralLayout(layout, limits);
  checkLocalLayout({ ...layout, locals: await readLocalHeaders(zip, central) });
  const budget: InflateBudget = { inflated: 0 };
  for (const item of planned.filter((p) => p.isDocument)) {
    await readPackageDocument(item.name, inflate(zip, item, limits, budget), collector);
  }
  const media = planned.filter((p) => !p.isDocument);
  // Documents are in: a media entry the manifest does not name is refused before any is inflated.
  collector.assertMediaNamed(media.map((item) => item.name));
  for (const item of media) {
    await collector.addMedia(item.name, Readable.from(inflate(zip, item, limits, budget)));
  }
}

/** Each central record's local header, read as yauzl reads it (30 bytes, then name and extra field). */
async function readLocalHeaders(zip: ZipFile, central: readonly CentralRecord[]): Promise<LocalHeader[]> {
  const locals: LocalHeader[] = [];
  for (const record of central) {
    let header: Awaited<ReturnType<ZipFile['readLocalFileHeaderPromise']>>;
    try {
      header = await zip.readLocalFileHeaderPromise(record.entry);
    } catch (error) {
      throw zipInvalid(
        `${record.name}'s local header cannot be read: ${(error as Error).message}`,
        record.name,
        error,
      );
    }
    locals.push({
      nameRaw: header.fileName,
      flags: header.generalPurposeBitFlag,
      method: header.compressionMethod,
      crc32: header.crc32,
      compressedSize: header.compressedSize,
      uncompressedSize: header.uncompressedSize,
      headerBytes: header.fileDataStart - record.localHeaderOffset,
    });
  }
  return locals;
}

/** A central record as the layout check sees it, with yauzl's entry to read its local header by. */
type CentralRecord = CentralEntry & { readonly entry: Entry };

/**
 * Checks every central-directory record; returns the entries to read (noise and folders left
 * out) and every record, for the layout check.
 */
async function planEntries(
  zip: ZipFile,
  limits: BundleLimits,
): Promise<{ planned: PlannedEntry[]; central: CentralRecord[] }> {
  const planned: PlannedEntry[] = [];
  const central: CentralRecord[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  let index = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      ) as string;
      const isFolder = name.endsWith('/');
      assertSafeEntryName(isFolder ? name.slice(0, -1) : name);
      if (seen.has(name)) {
        throw new TriageError(
          'TRIAGE_BUNDLE_INCONSISTENT',
          `Two ZIP entries are named ${JSON.stringify(name)}`,
          {
            pointer: name,
          },
        );
      }
      seen.add(name);
      const skipped = isFolder || isNoiseEntry(name);
      central.push({
        entry,
        name,
        nameRaw: entry.fileNameRaw,
        flags: entry.generalPurposeBitFlag,
        method: entry.compressionMethod,
        crc32: entry.crc32,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        localHeaderOffset: entry.relativeOffsetOfLocalHeader,
        inflated: !skipped,
      });
      if (skipped) continue;
      checkEntryHeader(entry, name, limits);
      const isDocument = isDocumentCandidate(name);
      checkDeclaredSize(entry, name, isDocument, limits);
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > uncompressedLimit(limits)) {
        throw zipBomb(
          `The ZIP entries declare more than ${uncompressedLimit(limits)} uncompressed bytes in total`,
          name,
          { limit: uncompressedLimit(limits) },
        );
      }
      planned.push({ entry, name, isDocument });
      index++;
    }
  } catch (error) {
    if (error instanceof TriageError) throw error;
    throw zipInvalid(
      `The ZIP central directory is broken after ${index} entries: ${(error as Error).message}`,
      '',
      error,
    );
  }
  return { planned, central };
}

function checkEntryHeader(entry: Entry, name: string, limits: BundleLimits): void {
  if ((entry.generalPurposeBitFlag & ENCRYPTED_FLAG) !== 0) {
    throw zipInvalid(`${name} is encrypted; send packages without a password`, name);
  }
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    throw zipInvalid(
      `${name} uses compression method ${entry.compressionMethod}; only stored (0) and deflate (8) are read`,
      name,
    );
  }
  if (entry.compressionMethod === STORED && entry.compressedSize !== entry.uncompressedSize) {
    throw zipInvalid(`${name} is stored but its compressed and uncompressed sizes differ`, name);
  }
  if (
    entry.uncompressedSize > RATIO_EXEMPT_BYTES &&
    entry.uncompressedSize > limits.maxCompressionRatio * entry.compressedSize
  ) {
    throw zipBomb(
      `${name} declares a compression ratio over ${limits.maxCompressionRatio}:1 (${entry.compressedSize} -> ${entry.uncompressedSize} bytes)`,
      name,
      { limit: limits.maxCompressionRatio },
    );
  }
}

function checkDeclaredSize(entry: Entry, name: string, isDocument: boolean, limits: BundleLimits): void {
  if (isDocument && entry.uncompressedSize > limits.maxDocumentBytes) {
    throw documentTooLarge(name, limits);
  }
  if (entry.uncompressedSize > limits.maxFileBytes) throw fileTooLargeError(name, limits);
}

const documentTooLarge = (name: string, limits: BundleLimits) =>
  new TriageError(
    'TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE',
    `${name} is larger than the ${limits.maxDocumentBytes} bytes a document may have`,
    { pointer: name, details: { limit: limits.maxDocumentBytes } },
  );

/**
 * The entry's inflated bytes, counted as they come: more than declared, over the ratio, over the
 * archive's total, or over the file or document limit stops the stream; a short entry or a CRC
 * mismatch is an invalid ZIP.
 */
async function* inflate(
  zip: ZipFile,
  { entry, name, isDocument }: PlannedEntry,
  limits: BundleLimits,
  budget: InflateBudget,
): AsyncGenerator<Buffer> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw zipInvalid(`${name} cannot be read: ${(error as Error).message}`, name, error);
  }
  const maxEntryBytes = isDocument ? limits.maxDocumentBytes : limits.maxFileBytes;
  const maxRatioBytes = Math.max(RATIO_EXEMPT_BYTES, limits.maxCompressionRatio * entry.compressedSize);
  let count = 0;
  let crc = 0;
  const chunks = stream[Symbol.asyncIterator]();
  try {
    while (true) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw zipInvalid(`${name} is corrupt: ${(error as Error).message}`, name, error);
      }
      if (next.done) break;
      const chunk = next.value;
      count += chunk.length;
      budget.inflated += chunk.length;
      if (count > entry.uncompressedSize) {
        throw zipBomb(
          `${name} inflates beyond the ${entry.uncompressedSize} bytes its header declares`,
          name,
          {
            declared: entry.uncompressedSize,
          },
        );
      }
      if (count > maxRatioBytes) {
        throw zipBomb(`${name} inflates at a ratio over ${limits.maxCompressionRatio}:1`, name, {
          limit: limits.maxCompressionRatio,
        });
      }
      if (budget.inflated > uncompressedLimit(limits)) {
        throw zipBomb(`The ZIP inflates to more than ${uncompressedLimit(limits)} bytes in total`, name, {
          limit: uncompressedLimit(limits),
        });
      }
      if (count > maxEntryBytes) {
        throw isDocument ? documentTooLarge(name, limits) : fileTooLargeError(name, limits);
      }
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } finally {
    // Also when the consumer stops early: the entry's file handle and inflater go.
    stream.destroy();
  }
  if (count !== entry.uncompressedSize) {
    throw zipInvalid(
      `${name} ends after ${count} of the ${entry.uncompressedSize} bytes its header declares`,
      name,
    );
  }
  if (crc !== entry.crc32) throw zipInvalid(`${name} fails its CRC-32 check`, name);
}
