import { toTriageError } from '@triage/errors';
import type { TableRecord } from '@triage/messaging';
import type { AuditChainLink, AuditEvent, Codec } from '@triage/schemas';
import { hashOfEvent, recomputeHash } from './chain-hash.ts';

interface EntryPlace {
  partition: number;
  offset: bigint;
  /** The record key: a chained event's must be its chain id. */
  key: string;
}

/** One record of the audit topic as the verifier sees it: its place, its link, the hash its bytes have. */
export type AuditEntry = EntryPlace &
  (
    | { kind: 'chained'; link: AuditChainLink; at: number; recomputedHash: string }
    /** An event written without a chain (AuditEvent v1). */
    | { kind: 'unchained'; eventId: string }
    /** A null value, a record of another kind, or bytes that do not decode. */
    | { kind: 'undecodable'; reason: string }
  );

/** Reads one audit-topic record into an entry; never throws (a bad record is an entry too). */
export function auditEntryOf(codec: Codec, record: TableRecord): AuditEntry {
  const place = { partition: record.partition, offset: record.offset, key: record.key };
  if (record.value === null) return { ...place, kind: 'undecodable', reason: 'null value (tombstone)' };
  try {
    const writer = codec.writerOf(record.value);
    if (writer.recordName !== 'AuditEvent')
      return { ...place, kind: 'undecodable', reason: `a ${writer.recordName} record, not an AuditEvent` };
    const { event, hash } = recomputeHash(writer, record.value);
    if (!event.chain) return { ...place, kind: 'unchained', eventId: event.eventId };
    return { ...place, kind: 'chained', link: { ...event.chain }, at: event.at, recomputedHash: hash };
  } catch (error) {
    const failure = toTriageError(error, 'TRIAGE_SCHEMA_DECODE_FAILED');
    return { ...place, kind: 'undecodable', reason: `${failure.code}: ${failure.message}` };
  }
}

/**
 * An event read from a copy that keeps its fields, not its bytes (the audit index), as an entry:
 * its hash is recomputed by encoding the fields again (`hashOfEvent`), so an edited field shows.
 * The copy has no partition or offset: `position` (its place in the copy's reading order) stands
 * in for the offset, and every entry is its chain's own key in partition 0.
 */
export function auditEntryOfEvent(codec: Codec, event: AuditEvent, position: number): AuditEntry {
  const chainId = event.chain?.chainId ?? '';
  const place = { partition: 0, offset: BigInt(position), key: chainId };
  if (!event.chain) return { ...place, kind: 'unchained', eventId: event.eventId };
  try {
    const recomputedHash = hashOfEvent(codec, { ...event, chain: event.chain });
    return { ...place, kind: 'chained', link: { ...event.chain }, at: event.at, recomputedHash };
  } catch (error) {
    // A field edited to a value the schema has no place for (a role or action it does not name).
    const reason = `not an AuditEvent any more: ${error instanceof Error ? error.message : String(error)}`;
    return { ...place, kind: 'undecodable', reason };
  }
}
