import type { Principal } from '@triage/auth';
import { describe, expect, it } from 'vitest';
import {
  type ActionRequest,
  auditReasonOf,
  authorizeAction,
  buildAction,
  resolveActionId,
  sameAction,
} from './action-request.ts';

const analyst: Principal = {
  sub: 'analyst-7',
  role: 'analyst',
  tokenId: null,
  issuedAt: null,
  expiresAt: null,
};
const supervisor: Principal = {
  sub: 'supervisor-2',
  role: 'supervisor',
  tokenId: null,
  issuedAt: null,
  expiresAt: null,
};
const id = '0b6e4c1a-9f1d-4c39-8a57-3f0c2d1e5a11';

const build = (principal: Principal, request: ActionRequest, caseVersion = 3) =>
  buildAction({
    principal,
    reportId: 'partner-a:1',
    request,
    actionId: id,
    caseVersion,
    at: 1_000,
    requestId: 'req-1',
  });

describe('authorizeAction', () => {
  it('given a supervisor, then every action is allowed', () => {
    const requests: ActionRequest[] = [
      { type: 'claim' },
      { type: 'assign', assignee: 'analyst-9' },
      { type: 'tierOverride', tier: 'P1', reason: 'invented reason' },
    ];
    for (const request of requests) expect(() => authorizeAction(supervisor, request)).not.toThrow();
  });

  it('given an analyst asking for a tier override, then 403 TRIAGE_TIER_OVERRIDE_FORBIDDEN', () => {
    expect(() => authorizeAction(analyst, { type: 'tierOverride', tier: 'P1', reason: 'x' })).toThrow(
      expect.objectContaining({ code: 'TRIAGE_TIER_OVERRIDE_FORBIDDEN', status: 403 }),
    );
  });

  it('given an analyst assigning someone else, then 403 TRIAGE_ASSIGN_FORBIDDEN; themselves, allowed', () => {
    expect(() => authorizeAction(analyst, { type: 'assign', assignee: 'analyst-9' })).toThrow(
      expect.objectContaining({ code: 'TRIAGE_ASSIGN_FORBIDDEN', status: 403 }),
    );
    expect(() => authorizeAction(analyst, { type: 'assign', assignee: 'analyst-7' })).not.toThrow();
  });

  it('given an analyst, then claim, status, disposition, note and legal authority are allowed', () => {
    const requests: ActionRequest[] = [
      { type: 'claim' },
      { type: 'status', status: 'in_review' },
      { type: 'disposition', disposition: 'referred' },
      { type: 'note', text: 'invented note' },
      { type: 'legalAuthority', reference: 'order 2026-17' },
    ];
    for (const request of requests) expect(() => authorizeAction(analyst, request)).not.toThrow();
  });
});

describe('resolveActionId', () => {
  const fresh = () => 'new-id';

  it('given neither, then a new id; given one, then it (lower-cased); given both equal, then it', () => {
    expect(resolveActionId(undefined, undefined, fresh)).toBe('new-id');
    expect(resolveActionId(id.toUpperCase(), undefined, fresh)).toBe(id);
    expect(resolveActionId(undefined, id, fresh)).toBe(id);
    expect(resolveActionId(id, id.toUpperCase(), fresh)).toBe(id);
  });

  it('given a body id and a different header key, then 400 pointing at the header', () => {
    expect(() => resolveActionId(id, '11111111-1111-4111-8111-111111111111', fresh)).toThrow(
      expect.objectContaining({ code: 'TRIAGE_REQUEST_INVALID', pointer: '/headers/idempotency-key' }),
    );
  });
});

describe('buildAction', () => {
  it('given a claim, then an assign to the caller, marked claimed, with the case version found', () => {
    expect(build(analyst, { type: 'claim' })).toEqual({
      actionId: id,
      reportId: 'partner-a:1',
      reportVersion: 3,
      actor: 'analyst-7',
      role: 'analyst',
      type: 'assign',
      payload: { assignee: 'analyst-7', claimed: 'true' },
      at: 1_000,
      requestId: 'req-1',
    });
  });

  it('given each other type, then its TriageAction type and payload', () => {
    const cases: [ActionRequest, string, Record<string, string>][] = [
      [{ type: 'assign', assignee: 'analyst-9' }, 'assign', { assignee: 'analyst-9' }],
      [{ type: 'status', status: 'escalated' }, 'status', { status: 'escalated' }],
      [{ type: 'disposition', disposition: 'duplicate' }, 'disposition', { disposition: 'duplicate' }],
      [{ type: 'note', text: 'invented note' }, 'note', { text: 'invented note' }],
      [{ type: 'legalAuthority', reference: 'ref-1' }, 'legalAuthority', { reference: 'ref-1' }],
      [
        { type: 'tierOverride', tier: 'P2', reason: 'invented reason' },
        'tierOverride',
        { tier: 'P2', reason: 'invented reason' },
      ],
    ];
    for (const [request, type, payload] of cases) {
      expect(build(supervisor, request)).toMatchObject({ type, payload, actor: 'supervisor-2' });
    }
  });

  it('given the version the analyst saw, then it is recorded rather than the current one', () => {
    expect(build(analyst, { type: 'claim', reportVersion: 2 }, 5).reportVersion).toBe(2);
  });
});

describe('auditReasonOf', () => {
  it('given a note or an override, then its text or reason; otherwise none', () => {
    expect(auditReasonOf({ type: 'note', text: 'invented note' })).toBe('invented note');
    expect(auditReasonOf({ type: 'tierOverride', tier: 'P1', reason: 'why' })).toBe('why');
    expect(auditReasonOf({ type: 'status', status: 'closed' })).toBeNull();
  });
});

describe('sameAction', () => {
  const first = build(analyst, { type: 'status', status: 'closed' });

  it('given a retry of the same request later, then the same action (time and request id aside)', () => {
    expect(sameAction(first, { ...first, at: 9_999, requestId: 'req-2', reportVersion: 4 })).toBe(true);
  });

  it('given another payload, type, actor or case under the id, then not the same', () => {
    expect(sameAction(first, build(analyst, { type: 'status', status: 'new' }))).toBe(false);
    expect(sameAction(first, build(analyst, { type: 'disposition', disposition: 'duplicate' }))).toBe(false);
    expect(sameAction(first, { ...first, actor: 'analyst-8' })).toBe(false);
    expect(sameAction(first, { ...first, reportId: 'partner-a:2' })).toBe(false);
    expect(sameAction(first, { ...first, payload: { ...first.payload, extra: 'x' } })).toBe(false);
  });
});
