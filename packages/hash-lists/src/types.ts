import type { HashType } from '@triage/schemas';

/** Where an entry came from: the `source` field of KnownHash. */
export type HashListSource = 'vics-json' | 'csv';

/**
 * One known hash, normalised, before it is given a list name and version. A VICS Media record
 * gives one entry per hash it carries (MD5, SHA1, PhotoDNA, AlternativeHashes...).
 */
export interface HashEntry {
  hashType: HashType;
  /** Lower-case hex for MD5/SHA1/SHA256/PDQ; PhotoDNA and TMK+PDQF exactly as the file had them. */
  value: string;
  /** 0 is a verdict (non-pertinent) and kept; null = uncategorised. */
  category: number | null;
  categoryLabel: string | null;
  source: HashListSource;
  mediaId: string | null;
  mediaSize: number | null;
  series: string | null;
  tags: string[];
  victimIdentified: boolean | null;
  offenderIdentified: boolean | null;
  isDistributed: boolean | null;
  /** The Media record's PhotoDNA, verbatim, on every entry of that record (for a licensed adapter). */
  photoDnaVerbatim: string | null;
  /** JSON pointer of the record (`/value/12`, `/value/0/Media/3`) or `line 7` for CSV. */
  position: string;
}

/** Why a record (or one hash of it) was not imported. */
export type InvalidReason =
  /** An element of `value[]` or `Media[]` that is not an object. */
  | 'not-an-object'
  /** A record without any hash. */
  | 'no-hash'
  /** A hash of the wrong length or with characters that are not hex (for its type). */
  | 'hash-malformed'
  /** Category is neither null nor a non-negative integer. */
  | 'category-invalid'
  /** A CSV type column naming no hash type we know. */
  | 'hash-type-unknown'
  /** A CSV row without type whose hash could be SHA256 or PDQ (64 hex digits). */
  | 'hash-type-ambiguous'
  /** A CSV row the CSV parser could not read (e.g. a stray quote). */
  | 'row-malformed';

export interface InvalidRow {
  /** JSON pointer (of the record or of the offending field) or `line N`. */
  position: string;
  reason: InvalidReason;
  /** Human-readable; names fields and lengths, never echoes more than the offending value's shape. */
  message: string;
}

/** Rows read but deliberately left out (not errors). */
export type SkipReason =
  /** A case-export Media entry without Category: the case's examiner gave no verdict. */
  | 'uncategorised-case-media'
  /** An AlternativeHashes entry whose HashName is no hash type of the KnownHash schema. */
  | 'unsupported-hash-type';

export interface SkippedRow {
  position: string;
  reason: SkipReason;
  detail: string;
}

/** What the reader found the file to be. */
export type HashListFormatInfo =
  | {
      format: 'vics';
      /** The data-model version of the context URL, e.g. `1.3`, `2.0`. */
      vicsVersion: string;
      /** `US`, `UK`, `Default` for v2.0; null when the context names none (v1.x). */
      region: string | null;
      /** `hashset` = `#Media` (records under `value[]`); `case-export` = `#Cases` (`value[].Media[]`). */
      kind: 'hashset' | 'case-export';
      context: string;
    }
  | {
      format: 'csv';
      /** Whether the first row named the columns. */
      header: boolean;
      /** Column roles in file order (`hash`, `type`, `category`, `label`, a hash type, or null). */
      columns: string[];
    };

/** What reading a hash list yields, in file order. */
export type HashListItem =
  | { kind: 'entry'; entry: HashEntry }
  /** The same (hashType, value) again in this list; `conflict` when its category differs from the first. */
  | { kind: 'duplicate'; entry: HashEntry; firstCategory: number | null; conflict: boolean }
  | { kind: 'invalid'; row: InvalidRow }
  | { kind: 'skipped'; row: SkippedRow }
  /** One source record read (a Media record or a CSV row), whatever came of it. */
  | { kind: 'record' };
