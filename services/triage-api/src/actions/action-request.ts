// What an analyst may do to a case, as pure decisions: who may ask for which action, the
// TriageAction a request records, and whether a retried request is the same action.
import type { Principal } from '@triage/auth';
import { TriageError } from '@triage/errors';
import type { TriageAction } from '@triage/schemas';

/** The analysts' statuses of a case: untouched, being worked, handed up, done. */
export const caseStatuses = ['new', 'in_review', 'escalated', 'closed'] as const;

/**
 * How a case ended: referred to the competent authority, nothing further to do, not enough
 * information to act on, or a duplicate of another case.
 */
export const caseDispositions = [
  'referred',
  'no_further_action',
  'insufficient_information',
  'duplicate',
] as const;

/** The tiers a supervisor may file a case under instead of the scored one. */
export const overrideTiers = ['P1', 'P2', 'P3'] as const;

/** Length caps of the free-text fields (characters). */
export const actionFieldLimits = {
  subject: 200,
  note: 4_000,
  reference: 500,
  reason: 1_000,
} as const;

/** Fields every action body may carry. */
interface ActionCommon {
  /** The client's id of this action (a UUID): a retried POST with the same id is the same action. */
  actionId?: string;
  /** The case version the analyst saw; default the version the API finds. */
  reportVersion?: number;
}

/** A request body of `POST /v1/cases/{reportId}/actions`, discriminated by `type`. */
export type ActionRequest = ActionCommon &
  (
    | { type: 'claim' }
    | { type: 'assign'; assignee: string }
    | { type: 'status'; status: (typeof caseStatuses)[number] }
    | { type: 'disposition'; disposition: (typeof caseDispositions)[number] }
    | { type: 'note'; text: string }
    | { type: 'legalAuthority'; reference: string }
    | { type: 'tierOverride'; tier: (typeof overrideTiers)[number]; reason: string }
  );

/**
 * Who may ask for what: supervisors for every action; analysts for every action but a tier
 * override (403 TRIAGE_TIER_OVERRIDE_FORBIDDEN), and they assign a case only to themselves
 * (403 TRIAGE_ASSIGN_FORBIDDEN; `claim` is the way to take a case). The route's own access
 * already admits only analysts and supervisors.
 */
export function authorizeAction(principal: Principal, request: ActionRequest): void {
  if (principal.role === 'supervisor') return;
  if (request.type === 'tierOverride') {
    throw new TriageError('TRIAGE_TIER_OVERRIDE_FORBIDDEN', 'Only a supervisor may override the tier', {
      pointer: '/body/type',
    });
  }
  if (request.type === 'assign' && request.assignee !== principal.sub) {
    throw new TriageError(
      'TRIAGE_ASSIGN_FORBIDDEN',
      'An analyst may assign a case only to themselves (use claim)',
      { pointer: '/body/assignee' },
    );
  }
}

/**
 * The action id of a request: the body's `actionId` or the `Idempotency-Key` header (both
 * UUIDs, compared lower-cased), else a new one. Both given and different: 400.
 */
export function resolveActionId(
  bodyId: string | undefined,
  headerKey: string | undefined,
  newId: () => string,
): string {
  const body = bodyId?.toLowerCase();
  const header = headerKey?.toLowerCase();
  if (body !== undefined && header !== undefined && body !== header) {
    throw new TriageError(
      'TRIAGE_REQUEST_INVALID',
      '/headers/idempotency-key differs from /body/actionId: send one, or the same value in both',
      { pointer: '/headers/idempotency-key' },
    );
  }
  return body ?? header ?? newId();
}

/** The TriageAction type and payload of a request: `claim` is an `assign` to the caller. */
function typeAndPayload(
  principal: Principal,
  request: ActionRequest,
): Pick<TriageAction, 'type' | 'payload'> {
  switch (request.type) {
    case 'claim':
      return { type: 'assign', payload: { assignee: principal.sub, claimed: 'true' } };
    case 'assign':
      return { type: 'assign', payload: { assignee: request.assignee } };
    case 'status':
      return { type: 'status', payload: { status: request.status } };
    case 'disposition':
      return { type: 'disposition', payload: { disposition: request.disposition } };
    case 'note':
      return { type: 'note', payload: { text: request.text } };
    case 'legalAuthority':
      return { type: 'legalAuthority', payload: { reference: request.reference } };
    case 'tierOverride':
      return { type: 'tierOverride', payload: { tier: request.tier, reason: request.reason } };
  }
}

export interface ActionFacts {
  principal: Principal;
  reportId: string;
  request: ActionRequest;
  actionId: string;
  /** The case's version as the API found it: recorded unless the client said which it saw. */
  caseVersion: number;
  at: number;
  requestId: string;
}

/** The TriageAction a request records (the caller from its verified token, never from the body). */
export function buildAction(facts: ActionFacts): TriageAction {
  return {
    actionId: facts.actionId,
    reportId: facts.reportId,
    reportVersion: facts.request.reportVersion ?? facts.caseVersion,
    actor: facts.principal.sub,
    role: facts.principal.role,
    ...typeAndPayload(facts.principal, facts.request),
    at: facts.at,
    requestId: facts.requestId,
  };
}

/** The reason the audit event keeps: the note's text or the override's reason; none otherwise. */
export function auditReasonOf(request: ActionRequest): string | null {
  if (request.type === 'note') return request.text;
  if (request.type === 'tierOverride') return request.reason;
  return null;
}

/**
 * Whether a retried request asks for the action recorded earlier under its id: the same case,
 * actor, type and payload (the time, request id and seen version are the first request's).
 */
export function sameAction(earlier: TriageAction, retried: TriageAction): boolean {
  if (
    earlier.reportId !== retried.reportId ||
    earlier.actor !== retried.actor ||
    earlier.type !== retried.type
  ) {
    return false;
  }
  const keys = Object.keys(earlier.payload);
  return (
    keys.length === Object.keys(retried.payload).length &&
    keys.every((key) => earlier.payload[key] === retried.payload[key])
  );
}

/** 409: the id was used for another action; nothing is recorded. */
export function actionIdConflict(actionId: string): TriageError {
  return new TriageError(
    'TRIAGE_ACTION_ID_CONFLICT',
    `action ${actionId} was already recorded with another type, payload, case or actor`,
    { pointer: '/body/actionId' },
  );
}
