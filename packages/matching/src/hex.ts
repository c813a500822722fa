import { TriageError } from '@triage/errors';

/** Value of each ASCII hex digit (either case); -1 for anything else. */
const digitValue = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) digitValue[48 + i] = i;
for (let i = 0; i < 6; i++) {
  digitValue[97 + i] = 10 + i;
  digitValue[65 + i] = 10 + i;
}

/**
 * Reads `words * 8` hex digits into `out[offset .. offset + words)`, most significant word first
 * (the hex string read as one big-endian number). Returns false, leaving `out` partly written, when
 * the length is wrong or a character is not a hex digit. Upper and lower case are both accepted.
 */
export function readHexWords(hex: string, words: number, out: Uint32Array, offset: number): boolean {
  if (hex.length !== words * 8) return false;
  for (let w = 0; w < words; w++) {
    let value = 0;
    let bad = 0;
    for (let c = w * 8, end = c + 8; c < end; c++) {
      const code = hex.charCodeAt(c);
      const digit = code < 128 ? digitValue[code]! : -1;
      bad |= digit;
      value = (value << 4) | (digit & 15);
    }
    if (bad < 0) return false;
    out[offset + w] = value;
  }
  return true;
}

/** Lower-case hex of `words` words starting at `offset`, most significant word first. */
export function writeHexWords(source: Uint32Array, offset: number, words: number): string {
  let hex = '';
  for (let w = 0; w < words; w++) hex += source[offset + w]!.toString(16).padStart(8, '0');
  return hex;
}

/** The TriageError for a hash string that is not `digits` hex digits (the value is not echoed in full). */
export function invalidHash(kind: string, digits: number, hex: unknown): TriageError {
  const shown = typeof hex === 'string' ? `a string of ${hex.length} characters` : typeof hex;
  return new TriageError('TRIAGE_HASH_INVALID', `${kind} hash must be ${digits} hex digits, got ${shown}`, {
    details: { kind, expectedDigits: digits },
  });
}
