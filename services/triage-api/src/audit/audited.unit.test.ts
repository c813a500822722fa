// The audit gate on an in-process Fastify app (inject, no network): what each way a read can end
// writes to the trail, and what the client gets.
import { authentication, type Principal, requireRoles, type UserRole, userRoles } from '@triage/auth';
import { TriageError } from '@triage/errors';
import { problemHandling } from '@triage/http-problems';
import { createLogger } from '@triage/logging';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { memoryRecorder } from '../testing/read-fixtures.ts';
import { type AuditedAnswer, audited, auditRefusals } from './audited.ts';

/** Tokens are role names here: the gate, not the verification, is under test. */
async function verifyToken(token: string): Promise<Principal> {
  const role = userRoles.find((candidate) => candidate === token);
  if (role === undefined) throw new TriageError('TRIAGE_TOKEN_INVALID', 'unknown test token');
  return { sub: `${role}-1`, role, tokenId: null, issuedAt: null, expiresAt: null };
}

async function gateWith(read: () => Promise<AuditedAnswer<unknown>>) {
  const trail = memoryRecorder();
  const app = Fastify({ loggerInstance: createLogger({ name: 'audited-test', level: 'silent' }) });
  await app.register(problemHandling, { realm: 'triage' });
  await app.register(authentication, { verifyToken, securityScheme: 'bearerAuth' });
  await app.register(auditRefusals, { trail });
  app.get(
    '/v1/things/:id',
    {
      config: {
        access: requireRoles('analyst'),
        audit: {
          action: 'view_case',
          target: (request) => ({ type: 'report', id: (request.params as { id: string }).id }),
          query: (request) => `id=${(request.params as { id: string }).id}`,
          reason: (request) => (request.query as { why?: string }).why ?? null,
        },
      },
    },
    async (request) => audited(trail, request, read),
  );
  await app.ready();
  const get = (role: UserRole) =>
    app.inject({ url: '/v1/things/r-1?why=a+warrant', headers: { authorization: `Bearer ${role}` } });
  return { app, trail, get };
}

describe('audited', () => {
  it('given a read, then one allowed event with its result count, then the answer', async () => {
    const { trail, get } = await gateWith(async () => ({ body: { secret: 'case data' }, resultCount: 3 }));
    const response = await get('analyst');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ secret: 'case data' });
    expect(trail.events).toEqual([
      {
        actor: 'analyst-1',
        role: 'analyst',
        action: 'view_case',
        target: { type: 'report', id: 'r-1' },
        query: 'id=r-1',
        resultCount: 3,
        reason: 'a warrant',
        requestId: expect.any(String),
        outcome: 'allowed',
      },
    ]);
  });

  it('given the trail refuses, then 503 TRIAGE_AUDIT_UNAVAILABLE and none of the data', async () => {
    const { trail, get } = await gateWith(async () => ({ body: { secret: 'case data' }, resultCount: 1 }));
    trail.failing = true;
    const response = await get('analyst');
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('TRIAGE_AUDIT_UNAVAILABLE');
    expect(response.body).not.toContain('case data');
  });

  it('given a read that finds nothing, then allowed with 0 results, and its 404 problem', async () => {
    const { trail, get } = await gateWith(async () => {
      throw new TriageError('TRIAGE_CASE_NOT_FOUND', 'no case');
    });
    const response = await get('analyst');
    expect(response.statusCode).toBe(404);
    expect(trail.events.map((event) => [event.outcome, event.resultCount])).toEqual([['allowed', 0]]);
  });

  it('given a not-found read and a refusing trail, then 503: not even an absence is told unaudited', async () => {
    const { trail, get } = await gateWith(async () => {
      throw new TriageError('TRIAGE_CASE_NOT_FOUND', 'no case');
    });
    trail.failing = true;
    expect((await get('analyst')).statusCode).toBe(503);
  });

  it('given a read that fails, then an error event and the read\u2019s own problem', async () => {
    const { trail, get } = await gateWith(async () => {
      throw new TriageError('TRIAGE_ELASTICSEARCH_UNAVAILABLE', 'down');
    });
    const response = await get('analyst');
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('TRIAGE_ELASTICSEARCH_UNAVAILABLE');
    expect(trail.events.map((event) => event.outcome)).toEqual(['error']);
  });

  it('given the wrong role, then 403 and a denied event; no event without a valid token', async () => {
    const { trail, get, app } = await gateWith(async () => ({ body: {}, resultCount: 0 }));
    expect((await get('auditor')).statusCode).toBe(403);
    expect(trail.events).toEqual([
      expect.objectContaining({ actor: 'auditor-1', role: 'auditor', outcome: 'denied', resultCount: null }),
    ]);
    expect((await app.inject({ url: '/v1/things/r-1' })).statusCode).toBe(401);
    expect(trail.events).toHaveLength(1);
  });

  it('given a read the policy refuses (403), then one denied event with the reason, written before the 403', async () => {
    const { trail, get } = await gateWith(async () => {
      throw new TriageError('TRIAGE_REVEAL_NOT_PERMITTED', 'not permitted');
    });
    const response = await get('analyst');
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('TRIAGE_REVEAL_NOT_PERMITTED');
    expect(trail.events).toEqual([
      expect.objectContaining({
        actor: 'analyst-1',
        outcome: 'denied',
        reason: 'a warrant',
        resultCount: null,
      }),
    ]);
  });

  it('given a policy refusal and a refusing trail, then 503, not the 403', async () => {
    const { trail, get } = await gateWith(async () => {
      throw new TriageError('TRIAGE_REVEAL_NOT_PERMITTED', 'not permitted');
    });
    trail.failing = true;
    const response = await get('analyst');
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('TRIAGE_AUDIT_UNAVAILABLE');
  });
});
