// Schemas of the read routes (queue, case, audit). Documents are described by their main fields
// and pass through whole (additionalProperties): their full shape is the indexer's (packages/search).
import { problemResponse } from '@triage/http-problems';
import { auditQueryLimits } from '../search/audit-query.ts';
import { caseFacetFields, caseQueryLimits } from '../search/case-query.ts';

const strings = (description: string, maxLength = 200) =>
  ({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength },
    maxItems: 50,
    description: `${description} (repeat the parameter for several values: any of them matches)`,
  }) as const;
/** The last millisecond a JavaScript Date (and Elasticsearch's date) holds: year 275760. */
const maxEpochMillis = 8_640_000_000_000_000;
const epochMillis = (description: string) =>
  ({
    type: 'integer',
    minimum: 0,
    maximum: maxEpochMillis,
    description: `${description} (epoch milliseconds)`,
  }) as const;
const cursor = {
  type: 'string',
  maxLength: 2048,
  description:
    'Opaque cursor of the next page (`nextCursor` of the previous answer); only valid with the same sort',
} as const;

export const caseQueueQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tier: {
      ...strings('Effective priority tier (a supervisor\u2019s override, else the scored tier)'),
      items: { type: 'string', enum: ['P1', 'P2', 'P3', 'P4'] },
    },
    status: strings('Analysts\u2019 status of the case'),
    assignee: strings('Subject of the assigned analyst'),
    incidentType: strings('NCMEC incident type'),
    inJurisdiction: {
      type: 'boolean',
      description: 'Only cases whose network facts are (not) in jurisdiction',
    },
    country: strings('ISO country code from the network enrichment', 8),
    asOrganization: strings('Autonomous system organisation from the network enrichment'),
    knownList: strings('Known-hash list an item matched'),
    category: {
      type: 'array',
      // An Elasticsearch integer: a larger number failed the whole search (502), not the request (400).
      items: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
      maxItems: 50,
      description: 'Category of a known-list match (repeat for several)',
    },
    novelty: {
      ...strings('Novelty of an item'),
      items: { type: 'string', enum: ['known', 'seen', 'near_duplicate', 'new'] },
    },
    partner: strings('Reporting partner id'),
    receivedFrom: epochMillis('Received at or after'),
    receivedTo: epochMillis('Received before'),
    incidentFrom: epochMillis('Incident at or after'),
    incidentTo: epochMillis('Incident before'),
    q: {
      type: 'string',
      minLength: 1,
      maxLength: 500,
      description: 'Full text over the report text (all words)',
    },
    sort: {
      type: 'string',
      enum: ['score', 'received'],
      default: 'score',
      description:
        '`score`: effective tier first (P1, P2, P3, P4), then highest score, older first on a tie; `received`: newest first',
    },
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: caseQueryLimits.maxLimit,
      default: caseQueryLimits.defaultLimit,
    },
    cursor,
  },
} as const;

/** A queue entry: the case (reasons included) without the report text, and the analysts' state. */
const caseSummarySchema = {
  type: 'object',
  additionalProperties: true,
  required: ['reportId'],
  properties: {
    reportId: { type: 'string' },
    version: { type: 'integer' },
    score: { type: 'number' },
    tier: { type: 'string', description: 'The scored tier' },
    queueTier: {
      type: ['string', 'null'],
      description: 'The effective tier the queue files the case under: `triage.tierOverride`, else `tier`',
    },
    provisional: { type: 'boolean' },
    itemsExpected: { type: 'integer' },
    itemsSeen: { type: 'integer' },
    updatedAt: { type: 'integer' },
    report: { type: 'object', additionalProperties: true },
    enrichment: { type: 'object', additionalProperties: true },
    items: { type: 'array', items: { type: 'object', additionalProperties: true } },
    triage: { type: 'object', additionalProperties: true },
  },
} as const;

const bucketsSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['value', 'count'],
    properties: { value: { type: 'string' }, count: { type: 'integer' } },
  },
} as const;

const pageFields = {
  total: { type: 'integer', description: 'Documents the filters match' },
  nextCursor: { type: ['string', 'null'], description: 'Cursor of the next page; null on the last page' },
} as const;

export const caseQueueSchema = {
  type: 'object',
  required: ['items', 'total', 'nextCursor', 'facets'],
  properties: {
    items: { type: 'array', items: caseSummarySchema },
    ...pageFields,
    facets: {
      type: 'object',
      description: 'Counts per value over every case the filters match (not only this page)',
      required: Object.keys(caseFacetFields),
      properties: Object.fromEntries(Object.keys(caseFacetFields).map((name) => [name, bucketsSchema])),
    },
  },
} as const;

export const reportIdParamsSchema = {
  type: 'object',
  required: ['reportId'],
  properties: {
    reportId: {
      type: 'string',
      minLength: 1,
      maxLength: 512,
      description: 'The report id (`<partnerId>:<partnerReportId>`)',
    },
  },
} as const;

export const caseViewSchema = {
  type: 'object',
  required: ['case', 'items', 'actions'],
  properties: {
    case: {
      ...caseSummarySchema,
      description:
        'The newest case: report, items summary, enrichment, score with reasons, linked reports, report text, analysts\u2019 state',
    },
    items: {
      type: 'array',
      description:
        'Every item: hashes, matches (list, version, distance), dedupe facts, enrichment, and its file\u2019s cluster facts',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          itemId: { type: 'string' },
          sha256: { type: ['string', 'null'] },
          file: {
            type: ['object', 'null'],
            additionalProperties: true,
            description: 'The file across reports: cluster, nearest file, first sighting, sightings',
          },
        },
      },
    },
    actions: {
      type: 'array',
      description: 'The action history, oldest first',
      items: { type: 'object', additionalProperties: true },
    },
    tierOverride: {
      type: ['object', 'null'],
      description:
        'The supervisor\u2019s tier override in force (the newest in the history), with who and why; null when the scored tier (`case.tier`) stands',
      required: ['tier', 'reason', 'actor', 'role', 'at', 'actionId'],
      properties: {
        tier: { type: 'string' },
        reason: { type: ['string', 'null'] },
        actor: { type: 'string' },
        role: { type: 'string' },
        at: { type: 'integer' },
        actionId: { type: 'string' },
      },
    },
  },
} as const;

export const badReportIdResponse = problemResponse(
  'The report id breaks the schema, e.g. longer than 512 characters (TRIAGE_REQUEST_INVALID; the pointer names it).',
);

export const badQueryResponse = problemResponse(
  'A parameter breaks the schema, or the cursor is not one of this sort order (TRIAGE_REQUEST_INVALID; the pointer names it).',
);

export const caseNotFoundResponse = problemResponse('No case for this report id (TRIAGE_CASE_NOT_FOUND).');

export const auditQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    actor: strings('Subject of the user who acted'),
    action: {
      ...strings('Audited action'),
      items: {
        type: 'string',
        enum: [
          'search',
          'view_case',
          'view_media',
          'reveal',
          'export',
          'triage_action',
          'view_audit',
          'lookup_hash',
        ],
      },
    },
    outcome: { ...strings('Outcome'), items: { type: 'string', enum: ['allowed', 'denied', 'error'] } },
    targetType: {
      type: 'string',
      enum: ['report', 'item', 'sha256', 'query', 'hoster', 'none', 'hash'],
      description: 'Kind of target',
    },
    targetId: { type: 'string', minLength: 1, maxLength: 512, description: 'Target id (e.g. a report id)' },
    from: epochMillis('At or after'),
    to: epochMillis('Before'),
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: auditQueryLimits.maxLimit,
      default: auditQueryLimits.defaultLimit,
    },
    cursor,
  },
} as const;

export const auditPageSchema = {
  type: 'object',
  required: ['items', 'total', 'nextCursor'],
  properties: {
    items: {
      type: 'array',
      description: 'Audit events, newest first, with their hash-chain link',
      items: { type: 'object', additionalProperties: true },
    },
    ...pageFields,
  },
} as const;
