import type { HashType } from '@triage/schemas';
import { hexLengths } from './normalise.ts';

/**
 * Compact in-memory keys for the sets an import keeps (de-duplication, the list's live keys):
 * a hex hash becomes one type letter plus its bytes as a one-byte string (MD5: 17 characters
 * instead of 36), which about halves the memory per key. Other values keep their text.
 */
const typeCodes: Record<HashType, string> = {
  MD5: 'm',
  SHA1: 's',
  SHA256: 'S',
  PDQ: 'p',
  PHOTODNA: 'P',
  TMK_PDQF: 't',
  UNKNOWN: 'u',
};
const typesByCode = new Map(Object.entries(typeCodes).map(([type, code]) => [code, type as HashType]));

/** The compact key of a (hashType, value) pair; `value` as normalised (lower-case hex). */
export function compactKey(hashType: HashType, value: string): string {
  const code = typeCodes[hashType];
  const length = hexLengths[hashType];
  if (length !== undefined && value.length === length && /^[0-9a-f]+$/.test(value)) {
    return code + Buffer.from(value, 'hex').toString('latin1');
  }
  // Marked with '#' (never a type letter) so a verbatim value is never read back as packed bytes.
  return `#${code}${value}`;
}

/** The (hashType, value) pair of a compact key. */
export function expandKey(key: string): { hashType: HashType; value: string } {
  if (key[0] === '#') return { hashType: typesByCode.get(key[1] ?? '') ?? 'UNKNOWN', value: key.slice(2) };
  return {
    hashType: typesByCode.get(key[0] ?? '') ?? 'UNKNOWN',
    value: Buffer.from(key.slice(1), 'latin1').toString('hex'),
  };
}

/**
 * The compact key of a hashsets topic key `<list>:<hashType>:<value>` of `list`, or undefined if
 * the key belongs to another list or names no hash type of the schema.
 */
export function compactTopicKey(list: string, topicKey: string): string | undefined {
  if (!topicKey.startsWith(`${list}:`)) return undefined;
  const rest = topicKey.slice(list.length + 1);
  const colon = rest.indexOf(':');
  if (colon === -1) return undefined;
  const hashType = rest.slice(0, colon) as HashType;
  if (typeCodes[hashType] === undefined) return undefined;
  return compactKey(hashType, rest.slice(colon + 1));
}
