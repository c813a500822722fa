import { recordExamples } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { auditDocument } from './audit-document.ts';

describe('auditDocument', () => {
  it('flattens a v1 event (no chain) under its event id', () => {
    const event = { ...recordExamples.AuditEvent, chain: null };
    expect(auditDocument(event)).toEqual({
      id: event.eventId,
      document: expect.objectContaining({
        eventId: event.eventId,
        targetType: event.target.type,
        targetId: event.target.id,
        outcome: event.outcome,
        chain: null,
      }),
    });
  });

  it('keeps the hash-chain link of a v2 event', () => {
    const chain = { chainId: 'chain-1', sequence: 7, previousHash: 'a'.repeat(64), hash: 'b'.repeat(64) };
    const event = { ...recordExamples.AuditEvent, chain };
    expect(auditDocument(event).document.chain).toEqual(chain);
  });
});
