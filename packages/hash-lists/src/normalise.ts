import type { HashType } from '@triage/schemas';

/** Hex digits per hash type; types without an entry (PhotoDNA, TMK+PDQF) are kept verbatim. */
export const hexLengths: Partial<Record<HashType, number>> = {
  MD5: 32,
  SHA1: 40,
  SHA256: 64,
  PDQ: 64,
};

/** US VICS categories (Project VIC US data model). */
export const usCategoryLabels: Readonly<Record<number, string>> = Object.freeze({
  0: 'non-pertinent',
  1: 'child abuse material',
  2: 'child exploitive / age difficult',
  3: 'CGI / animation',
  4: 'comparison images',
});

const hashTypeNames: Record<string, HashType> = {
  md5: 'MD5',
  sha1: 'SHA1',
  sha256: 'SHA256',
  pdq: 'PDQ',
  photodna: 'PHOTODNA',
  pdna: 'PHOTODNA',
  tmkpdqf: 'TMK_PDQF',
};

/**
 * A hash type from how lists spell it (`MD5`, `sha-1`, `SHA_256`, `PhotoDNA`, `TMK+PDQF`), or
 * undefined when it is none of the KnownHash schema's types.
 */
export function hashTypeFromName(name: string): HashType | undefined {
  return hashTypeNames[name.toLowerCase().replace(/[^a-z0-9]/g, '')];
}

export type HashCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * Normalises one hash value of a known type: hex types are trimmed, lower-cased and checked for
 * their length; PhotoDNA and TMK+PDQF are kept exactly as given (they are opaque to us).
 */
export function normaliseHash(hashType: HashType, raw: unknown): HashCheck {
  if (typeof raw !== 'string') return { ok: false, message: `${hashType} is a ${typeOf(raw)}, not a string` };
  const length = hexLengths[hashType];
  if (length === undefined) return { ok: true, value: raw };
  const value = raw.trim().toLowerCase();
  if (value.length !== length || !/^[0-9a-f]+$/.test(value)) {
    const what = /^[0-9a-f]*$/.test(value) ? `${value.length} hex digits` : 'characters that are not hex';
    return { ok: false, message: `${hashType} must be ${length} hex digits, got ${what}` };
  }
  return { ok: true, value };
}

/** Whether a field holds no hash at all (absent, null, empty or blank), which is not an error. */
export function isAbsent(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

export type CategoryCheck = { ok: true; category: number | null } | { ok: false; message: string };

/** Category: null/absent/blank -> null (uncategorised); 0 is kept; integers as numbers or digit strings. */
export function parseCategory(raw: unknown): CategoryCheck {
  if (isAbsent(raw)) return { ok: true, category: null };
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (text !== undefined && /^\d{1,9}$/.test(text)) return { ok: true, category: Number(text) };
  return { ok: false, message: `Category must be a non-negative integer or null, got ${describe(raw)}` };
}

/** VICS flags arrive as booleans, "true"/"false" strings (any case) or 0/1; anything else is null. */
export function parseFlag(raw: unknown): boolean | null {
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === '1') return true;
  if (raw === 0 || raw === '0') return false;
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  return null;
}

/** A numeric field (numbers may arrive as strings): a safe non-negative integer, else null. */
export function parseSize(raw: unknown): number | null {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d{1,16}$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

/** An id that may be a number or a string; kept as text. */
export function parseId(raw: unknown): string | null {
  if (typeof raw === 'number' || typeof raw === 'bigint') return String(raw);
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  return null;
}

/** A text field that may be a string or an object with a name (`{ "Name": ... }`). */
export function parseText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw === '' ? null : raw;
  if (typeof raw === 'number') return String(raw);
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const named =
      fieldOf(raw as Record<string, unknown>, 'name') ?? fieldOf(raw as Record<string, unknown>, 'title');
    return typeof named === 'string' && named !== '' ? named : null;
  }
  return null;
}

/**
 * VICS Tags: one string is one tag, kept whole (commas inside are not separators: exporters
 * write free text there); an array gives one tag per string or named object.
 */
export function parseTags(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(parseText).filter((tag): tag is string => tag !== null);
  const single = parseText(raw);
  return single === null ? [] : [single];
}

/** A property of a record, whatever the case of its name (`SHA1`, `Sha1`, `sha1`). */
function fieldOf(record: Record<string, unknown>, lowerName: string): unknown {
  if (Object.hasOwn(record, lowerName)) return record[lowerName];
  for (const key of Object.keys(record)) if (key.toLowerCase() === lowerName) return record[key];
  return undefined;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A short description of an offending value: primitives shown (truncated), containers by kind. */
function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeOf(value);
}
