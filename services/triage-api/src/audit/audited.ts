import type { AuditRecordInput } from '@triage/audit';
import { isTriageError, TriageError } from '@triage/errors';
import type { AuditAction, AuditOutcome, AuditTarget } from '@triage/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { auditEventFor, describeQuery } from './audit-event.ts';

/** Where audit events go: an AuditTrail (`record` resolves once Kafka acknowledged, acks=all). */
export interface AuditRecorder {
  record(event: AuditRecordInput): Promise<unknown>;
}

/** What an audited route is, declared next to its access: its action and what it is about. */
interface RouteAudit {
  action: AuditAction;
  target: (request: FastifyRequest) => AuditTarget;
  /** Whether the request's querystring is the audited query (searches); default false. */
  recordQuery?: boolean;
  /** The audited query when it is not the querystring (a reveal's report id). */
  query?: (request: FastifyRequest) => string | null;
  /** The justification the caller gave (a reveal's reason, an action's note or override reason); the body may not be parsed yet. */
  reason?: (request: FastifyRequest) => string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every audited route: `audited()` and the refusal hook read it. */
    audit?: RouteAudit;
  }
}

/** What an audited read found: the answer and how many results it carries. */
export interface AuditedAnswer<T> {
  body: T;
  resultCount: number | null;
}

function routeAudit(request: FastifyRequest): RouteAudit {
  const audit = request.routeOptions.config.audit;
  if (audit === undefined) throw new Error(`route ${request.routeOptions.url} is not declared audited`);
  return audit;
}

function eventOf(
  request: FastifyRequest,
  outcome: AuditOutcome,
  resultCount: number | null,
): AuditRecordInput {
  const audit = routeAudit(request);
  const principal = request.principal;
  if (principal === null) throw new Error('an audited route is a protected route: no principal');
  return auditEventFor(principal, request.id, {
    action: audit.action,
    target: audit.target(request),
    query:
      audit.query?.(request) ??
      (audit.recordQuery === true ? describeQuery(request.query as Record<string, unknown>) : null),
    resultCount,
    reason: audit.reason?.(request) ?? null,
    outcome,
  });
}

async function recordOrRefuse(trail: AuditRecorder, event: AuditRecordInput): Promise<void> {
  try {
    await trail.record(event);
  } catch (cause) {
    throw new TriageError('TRIAGE_AUDIT_UNAVAILABLE', 'The request could not be audited, so it is refused', {
      cause,
      retryable: true,
    });
  }
}

/** Requests whose refusal the gate itself audited (so the refusal hook does not write it twice). */
const refusalsAudited = new WeakSet<FastifyRequest>();

/**
 * The audit gate: runs the read, then writes its audit event and waits for the acknowledgement,
 * and only then hands the answer back to be sent. If the event cannot be written the answer is
 * dropped and the request fails with 503 TRIAGE_AUDIT_UNAVAILABLE: nothing is ever served
 * unaudited. A read that finds nothing (a 4xx catalogue error such as TRIAGE_CASE_NOT_FOUND) is
 * audited as allowed with 0 results before its problem is sent, one the policy refuses (a 403 such
 * as TRIAGE_REVEAL_NOT_PERMITTED) as denied, also before its problem is sent (503 if that event
 * cannot be written); a read that fails (Elasticsearch
 * down) is audited as an error where the trail allows, and its own error is answered.
 */
export async function audited<T>(
  trail: AuditRecorder,
  request: FastifyRequest,
  read: () => Promise<AuditedAnswer<T>>,
): Promise<T> {
  let answer: AuditedAnswer<T>;
  try {
    answer = await read();
  } catch (error) {
    if (isTriageError(error) && error.status === 403) {
      // A policy refusal by the read itself (the reveal gate): denied, and written before the
      // 403 is sent like any answer, so an unwritable audit refuses the request with 503.
      await recordOrRefuse(trail, eventOf(request, 'denied', null));
      refusalsAudited.add(request);
    } else if (isTriageError(error) && error.status >= 400 && error.status < 500) {
      await recordOrRefuse(trail, eventOf(request, 'allowed', 0));
    } else {
      // The read failed anyway; an audit failure on top must not hide the read's own error.
      await trail.record(eventOf(request, 'error', null)).catch((auditError: unknown) => {
        request.log.warn({ err: auditError }, 'failed read could not be audited');
      });
    }
    throw error;
  }
  await recordOrRefuse(trail, eventOf(request, 'allowed', answer.resultCount));
  return answer.body;
}

/**
 * A write that was audited as allowed and then failed (the action was not acknowledged) leaves a
 * second event, `error`, where the trail allows: the trail then says it did not happen. Its own
 * failure is logged, never hides the write's error.
 */
export async function auditFailedWrite(trail: AuditRecorder, request: FastifyRequest): Promise<void> {
  await trail.record(eventOf(request, 'error', 0)).catch((auditError: unknown) => {
    request.log.warn({ err: auditError }, 'failed write could not be audited');
  });
}

/**
 * Refusals are audited too: a caller with a valid token but the wrong role (403) on an audited
 * route leaves a `denied` event. The refusal carries no data, so it is sent even when the event
 * cannot be written (the failure is logged).
 */
export const auditRefusals = fp(
  async (app: FastifyInstance, options: { trail: AuditRecorder }) => {
    app.addHook('onSend', async (request, reply) => {
      if (reply.statusCode !== 403 || request.principal === null) return;
      if (request.routeOptions.config.audit === undefined || refusalsAudited.has(request)) return;
      try {
        await options.trail.record(eventOf(request, 'denied', null));
      } catch (error) {
        request.log.warn({ err: error }, 'refusal could not be audited');
      }
    });
  },
  { name: 'audit-refusals' },
);
