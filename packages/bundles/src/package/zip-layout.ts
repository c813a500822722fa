import { TriageError } from '@triage/errors';
import type { BundleLimits } from '../limits.ts';

/** What the central directory says of one entry. */
export interface CentralEntry {
  readonly name: string;
  readonly nameRaw: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  /** Read (inflated) by the package reader; folders and noise are not, but still take space. */
  readonly inflated: boolean;
}

/** What the entry's own local header says (APPNOTE 4.3.7). */
export interface LocalHeader {
  readonly nameRaw: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Header bytes: 30 + name + extra field. */
  readonly headerBytes: number;
}

export interface ZipLayout {
  readonly entries: readonly CentralEntry[];
  /** `locals[i]` is the local header at `entries[i].localHeaderOffset`. */
  readonly locals: readonly LocalHeader[];
  /** Where the central directory starts: entry data must end before it. */
  readonly directoryOffset: number;
  /** The archive's size on disk. */
  readonly archiveBytes: number;
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
export const ARCHIVE_RATIO_EXEMPT_BYTES = 16 * 1024 * 1024;

const overlap = (message: string, pointer: string, details: Record<string, unknown>) =>
  new TriageError('TRIAGE_BUNDLE_ZIP_OVERLAP', message, { pointer, details });

const mismatch = (name: string, field: string, central: unknown, local: unknown) =>
  new TriageError(
    'TRIAGE_BUNDLE_ZIP_INVALID',
    `${name}: the local header's ${field} (${String(local)}) disagrees with the central directory's (${String(central)})`,
    { pointer: name, details: { field } },
  );

/**
 * Decides, from the central directory and the local headers alone, whether an archive may be
 * inflated at all: no two entries share or overlap their bytes (each entry owns [local header,
 * end of its compressed data), and none runs into the central directory), every local header
 * agrees with its central record, and the declared expansion of the whole archive stays under the
 * archive ratio (the absolute total is checked per record as the directory is read). Covers the shared-entry, quoted-overlap and
 * many-small-entries bombs, which no per-entry check sees. Throws the first problem.
 */
export function checkZipLayout(layout: ZipLayout, limits: BundleLimits): void {
  // Sharing first: the shared-entry bomb's records also disagree with the one header they share.
  checkNoOverlap(layout);
  layout.entries.forEach((entry, index) => {
    checkLocalAgrees(entry, layout.locals[index]!);
  });
  checkExpansion(layout, limits);
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

function checkNoOverlap(layout: ZipLayout): void {
  const spans = layout.entries
    .map((entry, index) => ({
      name: entry.name,
      start: entry.localHeaderOffset,
      end: entry.localHeaderOffset + layout.locals[index]!.headerBytes + entry.compressedSize,
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

function checkExpansion(layout: ZipLayout, limits: BundleLimits): void {
  const declared = layout.entries.reduce((sum, entry) => sum + (entry.inflated ? entry.uncompressedSize : 0), 0);
  const byRatio = limits.maxArchiveRatio * layout.archiveBytes;
  if (declared > ARCHIVE_RATIO_EXEMPT_BYTES && declared > byRatio) {
    throw new TriageError(
      'TRIAGE_BUNDLE_ZIP_BOMB',
      `The ZIP's ${layout.archiveBytes} bytes declare ${declared} uncompressed bytes, a ratio over ${limits.maxArchiveRatio}:1`,
      { pointer: '', details: { limit: limits.maxArchiveRatio, declared, archiveBytes: layout.archiveBytes } },
    );
  }
}
