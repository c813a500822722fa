import { TriageError } from '@triage/errors';
import { z } from 'zod';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

const bytes = () => z.number().int().positive();

/**
 * Limits every bundle is held to, whatever its wire format. Intake and `triage bundle validate`
 * share them, so a package that validates offline is accepted by intake with the same limits.
 */
export const bundleLimitsSchema = z.strictObject({
  maxBundleBytes: bytes()
    .default(4 * GiB)
    .describe('Largest request body or ZIP file, in bytes (TRIAGE_BUNDLE_TOO_LARGE)'),
  maxFileBytes: bytes()
    .default(2 * GiB)
    .describe('Largest media file, counted on the actual bytes (TRIAGE_BUNDLE_FILE_TOO_LARGE)'),
  maxDocumentBytes: bytes()
    .default(16 * MiB)
    .describe(
      'Largest manifest or XML document; documents are held in memory (TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE)',
    ),
  maxTotalDocumentBytes: bytes()
    .default(128 * MiB)
    .describe(
      'Most bytes of all manifest and XML documents of one bundle together, counted as they arrive: 20 000 fileDetails of 6 KiB; each is parsed whole (TRIAGE_BUNDLE_DOCUMENTS_TOO_LARGE)',
    ),
  maxMetadataBytes: bytes()
    .default(16 * MiB)
    .describe(
      'Most bytes of report and file metadata one bundle keeps while it is read (UTF-8 JSON of the parsed fields); a Bundle record holds at most 16 MiB, so more could never be published (TRIAGE_BUNDLE_METADATA_TOO_LARGE)',
    ),
  maxEntries: bytes()
    .default(50_000)
    .describe(
      'Most entries in a ZIP (read from its central directory) or media files in a package (TRIAGE_BUNDLE_TOO_MANY_ENTRIES)',
    ),
  maxReports: bytes().default(10_000).describe('Most reports in one bundle (TRIAGE_BUNDLE_TOO_MANY_ENTRIES)'),
  maxFilesPerReport: bytes()
    .default(20_000)
    .describe('Most files in one report (TRIAGE_BUNDLE_TOO_MANY_ENTRIES)'),
  maxCompressionRatio: bytes()
    .default(100)
    .describe(
      'Largest inflated/compressed ratio of one ZIP entry, declared or actual (TRIAGE_BUNDLE_ZIP_BOMB)',
    ),
  maxArchiveRatio: bytes()
    .default(100)
    .describe(
      "Largest ratio of a ZIP's declared uncompressed total to its size, checked before anything is inflated; the per-entry ratio's value, so that many entries under its 1 MiB exemption cannot add up to a bomb; archives inflating to 16 MiB or less are exempt (TRIAGE_BUNDLE_ZIP_BOMB)",
    ),
  maxUncompressedBytes: bytes()
    .optional()
    .describe(
      'Largest total of inflated ZIP entry bytes; when absent, maxBundleBytes (TRIAGE_BUNDLE_ZIP_BOMB)',
    ),
});

export type BundleLimits = z.output<typeof bundleLimitsSchema>;

export const defaultBundleLimits: BundleLimits = Object.freeze(bundleLimitsSchema.parse({}));

/** The longest text field, as the JSON manifest's schema has it (`maxLength`); XML text is held to it too. */
export const MAX_TEXT_LENGTH = 65_536;

/** A media entry over `maxFileBytes`; the pointer is the entry's name unless the caller knows better. */
export function fileTooLargeError(
  name: string,
  limits: BundleLimits,
  options: { pointer?: string; cause?: unknown } = {},
): TriageError {
  return new TriageError(
    'TRIAGE_BUNDLE_FILE_TOO_LARGE',
    `${name} is larger than the ${limits.maxFileBytes} bytes a file may have`,
    { pointer: options.pointer ?? name, details: { limit: limits.maxFileBytes }, cause: options.cause },
  );
}

/** `maxUncompressedBytes`, or `maxBundleBytes` when it is not set. */
export function uncompressedLimit(limits: BundleLimits): number {
  return limits.maxUncompressedBytes ?? limits.maxBundleBytes;
}

/**
 * Entries that inflate to at most this many bytes are exempt from the ratio check: small text
 * and blank images legitimately compress beyond 100:1, and the total limit still bounds them.
 */
export const RATIO_EXEMPT_BYTES = MiB;
