import type { AuditEvent } from '@triage/schemas';
import { documentId } from './document-id.ts';

/**
 * An audit document: the event as it is, flattened for filters. Kept in this one module because
 * AuditEvent v2 (a hash chain) is on its way: its extra fields (previous hash, own hash) will be
 * added here, and v1 documents already fit the same mapping.
 */
export interface AuditDocument {
  eventId: string;
  actor: string;
  role: string;
  action: string;
  targetType: string;
  targetId: string | null;
  query: string | null;
  resultCount: number | null;
  reason: string | null;
  requestId: string | null;
  outcome: string;
  at: number;
  schemaVersion: number;
}

/** Deterministic id: the event id; events never change, so it is written with `create`. */
export function auditDocument(event: AuditEvent): { id: string; document: AuditDocument } {
  return {
    id: documentId(event.eventId),
    document: {
      eventId: event.eventId,
      actor: event.actor,
      role: event.role,
      action: event.action,
      targetType: event.target.type,
      targetId: event.target.id,
      query: event.query,
      resultCount: event.resultCount,
      reason: event.reason,
      requestId: event.requestId,
      outcome: event.outcome,
      at: event.at,
      schemaVersion: 1,
    },
  };
}
