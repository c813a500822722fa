import { toTriageError } from '@triage/errors';
import type { TableRecord } from '@triage/messaging';
import type { AuditChainLink, Codec } from '@triage/schemas';
import { recomputeHash } from './chain-hash.ts';

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
