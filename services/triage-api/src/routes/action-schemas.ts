// Schemas of POST /v1/cases/{reportId}/actions: one strict body schema per action type (no
// property beyond its own, every string capped), discriminated by `type`.
import { problemResponse } from '@triage/http-problems';
import {
  actionFieldLimits,
  caseDispositions,
  caseStatuses,
  overrideTiers,
} from '../actions/action-request.ts';

const uuidPattern = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** One line of visible text: no control characters, not blank. */
const line = (description: string, maxLength: number) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength,
    pattern: '^(?!\\s*$)[^\\u0000-\\u001F\\u007F]+$',
    description,
  }) as const;

const commonFields = {
  actionId: {
    type: 'string',
    pattern: uuidPattern,
    description:
      'Your id of this action (a UUID): send the same id again to retry safely (same action, recorded once); default a new one',
  },
  reportVersion: {
    type: 'integer',
    minimum: 1,
    maximum: 2_147_483_647,
    description: 'The case version you acted on (`case.version` of the case view); default the current one',
  },
} as const;

function actionBody<T extends string, F extends Record<string, object>>(
  type: T,
  description: string,
  fields: F,
) {
  return {
    type: 'object',
    title: type,
    description,
    additionalProperties: false,
    required: ['type', ...Object.keys(fields)],
    properties: { type: { type: 'string', const: type }, ...commonFields, ...fields },
  } as const;
}

export const actionBodySchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    actionBody('claim', 'Assign the case to yourself (recorded as `assign` to your subject).', {}),
    actionBody(
      'assign',
      'Assign the case: supervisors to anyone, analysts only to themselves (403 TRIAGE_ASSIGN_FORBIDDEN).',
      { assignee: line('Subject (token `sub`) of the analyst to assign', actionFieldLimits.subject) },
    ),
    actionBody('status', 'Set the analysts\u2019 status of the case.', {
      status: { type: 'string', enum: caseStatuses },
    }),
    actionBody('disposition', 'Record how the case ended.', {
      disposition: { type: 'string', enum: caseDispositions },
    }),
    actionBody('note', 'Add a note to the case history (also the audit event\u2019s reason).', {
      text: {
        type: 'string',
        minLength: 1,
        maxLength: actionFieldLimits.note,
        // Line breaks and tabs allowed; other control characters not.
        pattern: '^(?!\\s*$)[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]+$',
        description: 'The note',
      },
    }),
    actionBody(
      'legalAuthority',
      'Record the legal authority (warrant, order) that lets analysts reveal this case\u2019s media.',
      { reference: line('Reference of the legal authority', actionFieldLimits.reference) },
    ),
    actionBody(
      'tierOverride',
      'File the case under another tier (supervisors only: 403 TRIAGE_TIER_OVERRIDE_FORBIDDEN otherwise); the queue follows it.',
      {
        tier: { type: 'string', enum: overrideTiers },
        reason: line('Why (kept in the action and the audit event)', actionFieldLimits.reason),
      },
    ),
  ],
} as const;

export const actionHeadersSchema = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      pattern: uuidPattern,
      description: 'The action id as a header (a UUID), for clients that retry by header; same as `actionId`',
    },
  },
} as const;

export const recordedActionSchema = {
  type: 'object',
  description:
    'The action as recorded on `triage.actions.v1` (TriageAction v2); the queue reflects it within seconds',
  required: ['actionId', 'reportId', 'reportVersion', 'actor', 'role', 'type', 'payload', 'at', 'requestId'],
  properties: {
    actionId: { type: 'string' },
    reportId: { type: 'string' },
    reportVersion: { type: ['integer', 'null'] },
    actor: { type: 'string', description: 'Your subject' },
    role: { type: 'string' },
    type: {
      type: 'string',
      description: 'The recorded type: a `claim` is recorded as `assign` (payload `claimed: "true"`)',
    },
    payload: { type: 'object', additionalProperties: { type: 'string' } },
    at: { type: 'integer', description: 'When it was recorded (epoch ms)' },
    requestId: { type: ['string', 'null'], description: 'The request that first recorded it' },
  },
} as const;

export const actionProblemResponses = {
  400: problemResponse(
    'The body breaks its type\u2019s schema, or `Idempotency-Key` and `actionId` differ (TRIAGE_REQUEST_INVALID; the pointer names it).',
  ),
  403: problemResponse(
    'The role may not use this route (TRIAGE_ROLE_FORBIDDEN), an analyst asked for a tier override (TRIAGE_TIER_OVERRIDE_FORBIDDEN) or to assign someone else (TRIAGE_ASSIGN_FORBIDDEN); audited as denied.',
  ),
  404: problemResponse('No case for this report id (TRIAGE_CASE_NOT_FOUND).'),
  409: problemResponse('The action id was used for another action (TRIAGE_ACTION_ID_CONFLICT).'),
  503: problemResponse(
    'The audit event (TRIAGE_AUDIT_UNAVAILABLE) or the action (TRIAGE_ACTIONS_UNAVAILABLE) could not be written, or Elasticsearch is unavailable: nothing is done; retry with the same action id after Retry-After.',
  ),
} as const;
