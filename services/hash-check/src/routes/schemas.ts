// JSON schemas of the hash-check routes: Fastify validates and serialises with them, and
// @fastify/swagger turns them into docs/openapi/hash-check.json.
import { createProblemSchema, problemResponse } from '@triage/http-problems';
import { checkHashTypes, includeFields } from '../policy/check-plan.ts';

export const problemSchema = createProblemSchema({
  codeExample: 'TRIAGE_HASH_CHECK_HASH_INVALID',
  pointerExample: '`/body/hashes/17/value`',
});

export const problemResponses = {
  '4xx': problemResponse('The batch was refused; nothing was checked.'),
  '5xx': problemResponse('The service cannot check now (honour Retry-After).'),
} as const;

export const healthSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok', 'ready', 'not-ready'] } },
} as const;

/** The body of `POST /v1/hash-check`; the batch size is checked by the handler (413, not 400). */
export function checkBodySchema(maxBatch: number) {
  return {
    type: 'object',
    required: ['hashes'],
    // Not `additionalProperties: false`, which Fastify's validator meets by dropping the field
    // silently: an unknown field reaches planCheck and is refused there (403), never ignored.
    description: 'Any other field (e.g. `labels`) is refused: 403 TRIAGE_HASH_CHECK_FIELD_REFUSED',
    properties: {
      hashes: {
        type: 'array',
        minItems: 1,
        description: `At most ${maxBatch} hashes (HASH_CHECK_MAX_BATCH); more: 413 TRIAGE_HASH_CHECK_BATCH_TOO_LARGE`,
        items: {
          type: 'object',
          required: ['type', 'value'],
          additionalProperties: false,
          properties: {
            type: { type: 'string', enum: [...checkHashTypes] },
            value: {
              type: 'string',
              maxLength: 128,
              description:
                'Hex (either case): MD5 32, SHA-1 40, SHA-256 and PDQ 64 digits; else 422 TRIAGE_HASH_CHECK_HASH_INVALID',
            },
          },
        },
      },
      lists: {
        type: 'array',
        maxItems: 100,
        items: { type: 'string', maxLength: 200 },
        description:
          'Lists to check (default: every list the hoster may check); another: 403 TRIAGE_AUTH_FORBIDDEN',
      },
      pdqDistance: {
        type: 'integer',
        minimum: 0,
        maximum: 256,
        description:
          "Largest PDQ distance that counts as a match (default: the hoster's maximum); above it 400 TRIAGE_HASH_DISTANCE_TOO_LARGE",
      },
      include: {
        type: 'array',
        maxItems: includeFields.length,
        items: { type: 'string', enum: [...includeFields] },
        description:
          '`category` where the hoster policy gives it; anything else (labels, list names, report ids, distances) is never given: 403 TRIAGE_HASH_CHECK_FIELD_REFUSED',
      },
    },
  } as const;
}

export const checkResponseSchema = {
  type: 'object',
  required: ['answers'],
  properties: {
    answers: {
      type: 'array',
      description: 'One answer per hash, in the order sent',
      items: {
        type: 'object',
        required: ['match'],
        additionalProperties: false,
        properties: {
          match: { type: 'boolean' },
          category: {
            type: ['integer', 'null'],
            description: 'Only with `include: ["category"]` and a policy that gives it; null: uncategorised',
          },
        },
      },
    },
  },
} as const;
