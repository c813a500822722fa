// Schemas of the hash look-up. Documents pass through whole (additionalProperties): their full
// shape is the indexer's (packages/search); the fields a caller relies on are named.
import { problemResponse } from '@triage/http-problems';
import { hashTypes } from '../search/hash-query.ts';

export const hashParamsSchema = {
  type: 'object',
  required: ['value'],
  properties: {
    value: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description:
        'The hash in hex (either case): MD5 (32 digits) and SHA-1 (40) are recognised by length; a 64-digit value is SHA-256 or PDQ and needs `type` or a prefix (`sha256:<hex>`, `pdq:<hex>`; `md5:` and `sha1:` work too)',
    },
  },
} as const;

export const hashQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: {
      type: 'string',
      enum: [...hashTypes],
      description: 'The hash type; must agree with a prefix of the value if both are given',
    },
    distance: {
      type: 'integer',
      minimum: 0,
      maximum: 256,
      description:
        'PDQ only: largest Hamming distance (bits of 256) of a match; 0 (default) is exact. At most the configured cap (`TRIAGE_API_HASH_MAX_PDQ_DISTANCE`, at most 31); above it 400 TRIAGE_HASH_DISTANCE_TOO_LARGE',
    },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;
const nullableInteger = { type: ['integer', 'null'] } as const;

const fileSchema = {
  type: 'object',
  additionalProperties: true,
  required: ['sha256'],
  properties: {
    sha256: { type: 'string' },
    md5: nullableString,
    sha1: nullableString,
    pdq: nullableString,
    pdqQuality: nullableInteger,
    clusterId: nullableString,
    nearestSha256: nullableString,
    nearestDistance: nullableInteger,
    firstSeenAt: nullableInteger,
    firstSeenReportId: nullableString,
    sightings: { type: 'integer', description: 'Distinct reports that carried the file' },
  },
} as const;

export const hashLookupSchema = {
  type: 'object',
  required: ['query', 'media', 'items', 'reports', 'clusters', 'truncated', 'truncatedBy'],
  properties: {
    query: {
      type: 'object',
      required: ['type', 'value', 'distance'],
      description:
        'The look-up as understood: the type given or inferred, the value in lower case, the distance',
      properties: {
        type: { type: 'string', enum: [...hashTypes] },
        value: { type: 'string' },
        distance: { type: 'integer' },
      },
    },
    media: {
      type: 'array',
      description:
        'Matched files (at most 100): every hash, cluster, first sighting, sightings; PDQ nearest first with `distance`',
      items: {
        ...fileSchema,
        required: ['sha256', 'distance'],
        properties: {
          ...fileSchema.properties,
          distance: {
            ...nullableInteger,
            description: 'PDQ: Hamming distance from the query; null for an exact hash',
          },
        },
      },
    },
    items: {
      type: 'array',
      description: 'Items carrying a matched file or the hash (at most 500), by report then item',
      items: {
        type: 'object',
        additionalProperties: true,
        required: ['itemId', 'reportId'],
        properties: {
          itemId: { type: 'string' },
          reportId: { type: 'string' },
          sha256: nullableString,
          md5: nullableString,
          sha1: nullableString,
          pdq: nullableString,
          matches: {
            type: 'array',
            description: 'Known-list matches of the item (list, version, category, distance)',
            items: { type: 'object', additionalProperties: true },
          },
          distance: { ...nullableInteger, description: "PDQ: the item's distance from the query" },
        },
      },
    },
    reports: {
      type: 'array',
      description: 'The reports of those items, with a case summary (null when not scored yet)',
      items: {
        type: 'object',
        required: ['reportId', 'itemIds', 'case'],
        properties: {
          reportId: { type: 'string' },
          itemIds: { type: 'array', items: { type: 'string' } },
          case: { type: ['object', 'null'], additionalProperties: true },
        },
      },
    },
    clusters: {
      type: 'array',
      description: 'Per near-duplicate cluster of the matched files: its other files (at most 500 over all)',
      items: {
        type: 'object',
        required: ['clusterId', 'members'],
        properties: { clusterId: { type: 'string' }, members: { type: 'array', items: fileSchema } },
      },
    },
    truncated: { type: 'boolean', description: 'A cap was reached: there is more than this answer shows' },
    truncatedBy: {
      type: 'array',
      description: 'Which caps were reached',
      items: { type: 'string', enum: ['pdqCandidates', 'media', 'items', 'clusterMembers'] },
    },
  },
} as const;

export const badHashResponse = problemResponse(
  'The value is not a hash of its type, the type is ambiguous (64 digits without `type` or prefix) or the distance is not allowed (TRIAGE_HASH_LOOKUP_INVALID, TRIAGE_HASH_TYPE_AMBIGUOUS, TRIAGE_HASH_DISTANCE_TOO_LARGE, TRIAGE_REQUEST_INVALID).',
);
