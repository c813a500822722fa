// Schemas of the category routes: an item's category actions, the case's category states and
// the audited export of a hash list.
import { exportFormats, listNamePattern, vicsCategories } from '@triage/hash-lists';
import { problemResponse } from '@triage/http-problems';
import { actionFieldLimits } from '../actions/action-request.ts';
import { categoryVerbs } from '../actions/category-request.ts';

const uuidPattern = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const itemParamsSchema = {
  type: 'object',
  required: ['reportId', 'itemId'],
  additionalProperties: false,
  properties: {
    reportId: { type: 'string', minLength: 1, maxLength: 300, description: 'The case\u2019s report id' },
    itemId: {
      type: 'string',
      minLength: 1,
      maxLength: 300,
      description: 'The item\u2019s id within the report',
    },
  },
} as const;

export const categoryBodySchema = {
  type: 'object',
  required: ['action'],
  additionalProperties: false,
  properties: {
    action: {
      type: 'string',
      enum: Object.keys(categoryVerbs),
      description:
        '`set`: your VICS category for the item; `confirm`: agree with another analyst\u2019s (never your own: ' +
        '403 TRIAGE_CATEGORY_SELF_CONFIRMATION); `settle`: a supervisor decides a disagreement (reason required); ' +
        '`withdraw`: the confirmer or a supervisor takes a confirmation back (reason required; the list entry is tombstoned)',
    },
    category: {
      type: 'integer',
      enum: vicsCategories,
      description:
        'VICS category (US): 0 non-pertinent, 1 CSAM, 2 exploitive / age difficult, 3 CGI / animation, 4 comparison',
    },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: actionFieldLimits.reason,
      pattern: '^(?!\\s*$)[^\\u0000-\\u001F\\u007F]+$',
      description: 'Why (settle, withdraw): kept in the action and the audit event',
    },
    actionId: {
      type: 'string',
      pattern: uuidPattern,
      description: 'Your id of this action (a UUID): the same id again answers the same action',
    },
  },
} as const;

const categoryViewSchema = {
  type: 'object',
  required: ['itemId', 'status'],
  properties: {
    itemId: { type: 'string' },
    status: { type: 'string', enum: ['uncategorised', 'proposed', 'disputed', 'confirmed', 'withdrawn'] },
    category: { type: 'integer' },
    proposedBy: { type: 'array', items: { type: 'string' } },
    proposals: {
      type: 'array',
      items: {
        type: 'object',
        required: ['category', 'actor'],
        properties: { category: { type: 'integer' }, actor: { type: 'string' } },
      },
    },
    confirmedBy: { type: 'string' },
    settledReason: { type: ['string', 'null'] },
    withdrawnBy: { type: 'string' },
  },
} as const;

export const categoryAnswerSchema = {
  type: 'object',
  required: ['action', 'state'],
  properties: {
    action: {
      type: 'object',
      additionalProperties: true,
      description: 'The TriageAction (v3) recorded on `triage.actions.v1`',
    },
    state: categoryViewSchema,
  },
} as const;

export const caseCategoriesSchema = {
  type: 'object',
  required: ['reportId', 'items'],
  properties: {
    reportId: { type: 'string' },
    items: {
      type: 'array',
      items: categoryViewSchema,
      description: 'The items with a category state, by item id',
    },
  },
} as const;

export const categoryProblemResponses = {
  400: problemResponse(
    'The body breaks the schema, the category is no VICS one (TRIAGE_CATEGORY_INVALID) or a reason is missing (TRIAGE_CATEGORY_REASON_REQUIRED).',
  ),
  403: problemResponse(
    'The role may not use this route (TRIAGE_ROLE_FORBIDDEN), a self-confirmation (TRIAGE_CATEGORY_SELF_CONFIRMATION), an analyst settling (TRIAGE_CATEGORY_SETTLE_FORBIDDEN) or withdrawing another\u2019s confirmation (TRIAGE_CATEGORY_WITHDRAW_FORBIDDEN); audited as denied.',
  ),
  404: problemResponse(
    'No case for this report id (TRIAGE_CASE_NOT_FOUND) or no hashed item with this id (TRIAGE_CATEGORY_ITEM_UNKNOWN).',
  ),
  409: problemResponse(
    'The item\u2019s state does not allow it: TRIAGE_CATEGORY_CONFIRMED, TRIAGE_CATEGORY_NOT_PROPOSED, TRIAGE_CATEGORY_MISMATCH, TRIAGE_CATEGORY_DISPUTED, TRIAGE_CATEGORY_NOT_CONFIRMED; or the action id was used for another action (TRIAGE_ACTION_ID_CONFLICT).',
  ),
  503: problemResponse(
    'The audit event (TRIAGE_AUDIT_UNAVAILABLE) or the action (TRIAGE_ACTIONS_UNAVAILABLE) could not be written: nothing is done; retry.',
  ),
} as const;

export const listParamsSchema = {
  type: 'object',
  required: ['list'],
  additionalProperties: false,
  properties: {
    list: {
      type: 'string',
      // The export's own rule (schemathesis sent names the schema allowed and the export refused).
      pattern: listNamePattern.source,
      minLength: 1,
      maxLength: 200,
      description: 'The list name, e.g. `police-confirmed`',
    },
  },
} as const;

export const exportQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: {
      type: 'string',
      enum: exportFormats,
      default: 'vics',
      description:
        '`vics`: VICS 2.0 JSON hash set (one Media record per file); `csv`: hash,type,category,label with a header row',
    },
  },
} as const;

export const exportProblemResponses = {
  400: problemResponse('Not a list name or not an export format (TRIAGE_HASHLIST_EXPORT_INVALID).'),
  503: problemResponse(
    'The audit event could not be written (TRIAGE_AUDIT_UNAVAILABLE) or Kafka is unavailable.',
  ),
} as const;
