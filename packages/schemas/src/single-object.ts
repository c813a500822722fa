/**
 * Avro single-object encoding (Avro spec, "Single-object encoding"): the two marker bytes
 * `C3 01`, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the
 * Avro binary body. Every Kafka value of the project is framed this way, so a reader can find
 * the exact writer schema of any record, however old.
 */
import { TriageError } from '@triage/errors';
import { fingerprintBytes } from './fingerprint.ts';

/** The two marker bytes that open every single-object encoded record. */
export const singleObjectMarker: Readonly<Buffer> = Buffer.from([0xc3, 0x01]);

/** Marker plus fingerprint. */
export const singleObjectHeaderLength = 10;

/** The 10-byte header for records written with the schema of this fingerprint. */
export function singleObjectHeader(fingerprint: bigint): Buffer {
  return Buffer.concat([singleObjectMarker, fingerprintBytes(fingerprint)]);
}

/** Reads the writer fingerprint from a single-object encoded record; bad framing is a decode failure. */
export function readWriterFingerprint(bytes: Uint8Array): bigint {
  if (bytes.length < singleObjectHeaderLength || bytes[0] !== 0xc3 || bytes[1] !== 0x01) {
    throw new TriageError(
      'TRIAGE_SCHEMA_DECODE_FAILED',
      'Record is not Avro single-object encoded (expected marker C3 01 and an 8-byte fingerprint)',
      { details: { length: bytes.length } },
    );
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readBigUInt64LE(2);
}
