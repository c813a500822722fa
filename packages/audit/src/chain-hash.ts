import { createHash } from 'node:crypto';
import type { AuditChainLink, AuditEvent, AuditEventInput, Codec, SchemaVersion } from '@triage/schemas';

/** Hex SHA-256: the chain's one hash function. */
function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The `previousHash` of a chain's first event: fixed by the chain id, so a removed head shows. */
export function genesisHash(chainId: string): string {
  return sha256Hex(`triage.audit.genesis/${chainId}`);
}

/**
 * Encodes a chained event and its own hash: SHA-256 over the event's single-object bytes
 * (schema fingerprint + Avro body, the link's chain id, sequence and previous hash included)
 * with `hash` empty. Avro's binary encoding of a value under one schema is unique (the record
 * has no maps), so the verifier derives the same bytes from the record: no canonical-JSON step.
 */
export function sealEvent(
  codec: Codec,
  event: Omit<AuditEventInput, 'chain'> & { chain: Omit<AuditChainLink, 'hash'> },
): { bytes: Buffer; hash: string } {
  const hash = hashOfEvent(codec, event);
  return { bytes: codec.encode('AuditEvent', { ...event, chain: { ...event.chain, hash } }), hash };
}

/**
 * The hash an event has under the codec's newest AuditEvent schema: what `sealEvent` computed when
 * it was written, as long as that schema is the one it was written with (v2). For copies that keep
 * the fields but not the bytes (the audit index).
 */
export function hashOfEvent(
  codec: Codec,
  event: Omit<AuditEventInput, 'chain'> & { chain: Omit<AuditChainLink, 'hash'> },
): string {
  return sha256Hex(codec.encode('AuditEvent', { ...event, chain: { ...event.chain, hash: '' } }));
}

/**
 * The hash a record's bytes really have: decoded and re-encoded with its own writer schema (not
 * the newest), so records written by an older version still verify after the schema moves on.
 */
export function recomputeHash(writer: SchemaVersion, bytes: Uint8Array): { event: AuditEvent; hash: string } {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(writer.header.length);
  const event = writer.type.fromBuffer(body) as AuditEvent;
  if (!event.chain) return { event, hash: '' };
  const blanked = { ...event, chain: { ...event.chain, hash: '' } };
  return { event, hash: sha256Hex(Buffer.concat([writer.header, writer.type.toBuffer(blanked)])) };
}
