import { TriageError } from '@triage/errors';
import type { BundleLimits } from '../limits.ts';

/** The fields a central record and its local header must agree on. */
interface HeaderFields {
  readonly nameRaw: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

/** What the central directory says of one entry. */
export interface CentralEntry extends HeaderFields {
  readonly name: string;
  readonly localHeaderOffset: number;
  /** Read (inflated) by the package reader; folders and noise are not, but still take space. */
  readonly inflated: boolean;
}

/** What the entry's own local header says (APPNOTE 4.3.7). */
export interface LocalHeader extends HeaderFields {
  /** Header bytes: 30 + name + extra field. */
  readonly headerBytes: number;
}

/** The central directory and where it lies. */
export interface CentralLayout {
  readonly entries: readonly CentralEntry[];
  /** Where the central directory starts: entry data must end before it. */
  readonly directoryOffset: number;
  /** The archive's size on disk. */
  readonly archiveBytes: number;
}

export interface ZipLayout extends CentralLayout {
  /** `locals[i]` is the local header at `entries[i].localHeaderOffset`. */
  readonly locals: readonly LocalHeader[];
}

/** Bit 3: CRC and sizes follow the data (data descriptor); the local header's are zero. */
const DATA_DESCRIPTOR_FLAG = 0x8;
/** A ZIP64 local header says 0xFFFFFFFF and carries the sizes in its extra field. */
const ZIP64_MARKER = 0xffffffff;

/**
 * Archives that inflate to at most this many bytes in total are exempt from the archive ratio:
 * a small package of text documents and blank images may well compress beyond 100:1, and costs
 * nothing to read.
 */
const ARCHIVE_RATIO_EXEMPT_BYTES = 16 * 1024 * 1024;

const overlap = (message: string, pointer: string, details: Record<string, unknown>) =>
  new TriageError('TRIAGE_BUNDLE_ZIP_OVERLAP', message, { pointer, details });

const mismatch = (name: string, field: string, central: unknown, local: unknown) =>
  new TriageError(
    'TRIAGE_BUNDLE_ZIP_INVALID',
    `${name}: the local header's ${field} (${String(local)}) disagrees with the central directory's (${String(central)})`,
    { pointer: name, details: { field } },
  );

/** A local header's fixed part; with the central record's name (they must agree), its least size. */
const LOCAL_FIXED_BYTES = 30;

/**
 * Decides from the central directory alone, before any local header is read, what it can: no
 * two records share a local entry or overlap (each needs at least its fixed header, its name and
 * its compressed data), and the declared expansion of the whole archive stays under the archive
 * ratio (the absolute total is checked record by record as the directory is read). The
 * shared-entry bomb's thousands of records are refused here without a read per record.
 */
export function checkCentralLayout(layout: CentralLayout, limits: BundleLimits): void {
  checkNoOverlap(
    layout,
    layout.entries.map((entry) => LOCAL_FIXED_BYTES + entry.nameRaw.length),
  );
  checkExpansion(layout, limits);
}

/**
 * Decides from the local headers whether the archive may be inflated at all: no two entries
 * overlap their bytes (each owns [local header, end of its compressed data), and none runs into
 * the central directory) counting each header's real length, and every local header agrees with
 * its central record. With `checkCentralLayout`, covers the shared-entry, quoted-overlap and
 * many-small-entries bombs, which no per-entry check sees. Throws the first problem.
 */
export function checkLocalLayout(layout: ZipLayout): void {
  checkNoOverlap(
    layout,
    layout.locals.map((local) => local.headerBytes),
  );
  layout.entries.forEach((entry, index) => {
    checkLocalAgrees(entry, layout.locals[index]!);
  });
}

function checkLocalAgrees(entry: CentralEntry, local: LocalHeader): void {
  if (!entry.nameRaw.equals(local.nameRaw)) {
    throw mismatch(entry.name, 'name', entry.name, local.nameRaw.toString('utf8'));
  }
  if (entry.method !== local.method) throw mismatch(entry.name, 'method', entry.method, local.method);
  if (entry.flags !== local.flags) throw mismatch(entry.name, 'flags', entry.flags, local.flags);
  // With a data descriptor the local CRC and sizes are zero by design; the data's own end is checked while inflating.
  if ((entry.flags & DATA_DESCRIPTOR_FLAG) !== 0) return;
  if (local.crc32 !== entry.crc32) throw mismatch(entry.name, 'CRC-32', entry.crc32, local.crc32);
  for (const field of ['compressedSize', 'uncompressedSize'] as const) {
    if (local[field] !== ZIP64_MARKER && local[field] !== entry[field]) {
      throw mismatch(entry.name, field, entry[field], local[field]);
    }
  }
}

function checkNoOverlap(layout: CentralLayout, headerBytes: readonly number[]): void {
  const spans = layout.entries
    .map((entry, index) => ({
      name: entry.name,
      start: entry.localHeaderOffset,
      end: entry.localHeaderOffset + headerBytes[index]! + entry.compressedSize,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const next = spans[i + 1];
    if (next !== undefined && next.start < span.end) {
      const shared = next.start === span.start;
      throw overlap(
        shared
          ? `${next.name} and ${span.name} point at the same local entry at offset ${span.start}`
          : `${next.name} starts at offset ${next.start}, inside ${span.name}'s data (${span.start}-${span.end})`,
        next.name,
        { offset: next.start, overlaps: span.name },
      );
    }
    if (span.end > layout.directoryOffset) {
      throw overlap(
        `${span.name}'s data (${span.start}-${span.end}) runs into the central directory at ${layout.directoryOffset}`,
        span.name,
        { offset: span.start },
      );
    }
  }
}

function checkExpansion(layout: CentralLayout, limits: BundleLimits): void {
  const declared = layout.entries.reduce(
    (sum, entry) => sum + (entry.inflated ? entry.uncompressedSize : 0),
    0,
  );
  const byRatio = limits.maxArchiveRatio * layout.archiveBytes;
  if (declared > ARCHIVE_RATIO_EXEMPT_BYTES && declared > byRatio) {
    throw new TriageError(
      'TRIAGE_BUNDLE_ZIP_BOMB',
      `The ZIP's ${layout.archiveBytes} bytes declare ${declared} uncompressed bytes, a ratio over ${limits.maxArchiveRatio}:1`,
      {
        pointer: '',
        details: { limit: limits.maxArchiveRatio, declared, archiveBytes: layout.archiveBytes },
      },
    );
  }
}
