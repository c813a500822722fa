/**
 * CRC-64-AVRO, the 64-bit Rabin fingerprint of the Avro specification ("Schema Fingerprints"),
 * computed over a schema's Parsing Canonical Form. avsc only offers the `crypto` hashes (md5,
 * sha256) in Node, so the spec's algorithm is implemented here; the unit test checks it against
 * the published test vectors of the Avro project (`share/test/data/schema-tests.txt`).
 */
import avro from 'avsc';
import { type AvroSchemaJson, parseSchema } from './avro-json.ts';

/** The spec's EMPTY constant: the fingerprint of zero bytes, and the polynomial of the table. */
const empty = 0xc15d213aa4d7a795n;
const mask64 = 0xffffffffffffffffn;

const table: readonly bigint[] = (() => {
  const entries: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (empty & -(fp & 1n) & mask64);
    entries.push(fp);
  }
  return entries;
})();

/** The CRC-64-AVRO fingerprint of `input` (a string is fingerprinted as its UTF-8 bytes), unsigned. */
export function crc64Avro(input: string | Uint8Array): bigint {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let fp = empty;
  for (const byte of bytes) fp = (fp >> 8n) ^ table[Number((fp ^ BigInt(byte)) & 0xffn)]!;
  return fp;
}

/**
 * The Parsing Canonical Form of a schema (Avro spec): full names, no doc/aliases/defaults/
 * logical types, fixed key order, no whitespace. avsc's `Type#schema()` without options
 * produces exactly this form.
 */
export function parsingCanonicalForm(schema: AvroSchemaJson | avro.Type): string {
  const type = avro.Type.isType(schema) ? (schema as avro.Type) : parseSchema(schema as AvroSchemaJson);
  return JSON.stringify(type.schema());
}

/** The CRC-64-AVRO fingerprint of a schema's Parsing Canonical Form. */
export function schemaFingerprint(schema: AvroSchemaJson | avro.Type): bigint {
  return crc64Avro(parsingCanonicalForm(schema));
}

/** 16 lower-case hex digits of the unsigned fingerprint, most significant first (as the spec prints it). */
export function fingerprintHex(fingerprint: bigint): string {
  return fingerprint.toString(16).padStart(16, '0');
}

/** The fingerprint as 8 little-endian bytes, the layout of the single-object encoding header. */
export function fingerprintBytes(fingerprint: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(fingerprint);
  return bytes;
}
