// JSON schemas of the triage API's routes: Fastify validates and serialises with them, and
// @fastify/swagger turns them into docs/openapi/triage.json.
import { createProblemSchema, problemResponse } from '@triage/http-problems';

export const problemSchema = createProblemSchema({
  codeExample: 'TRIAGE_ROLE_FORBIDDEN',
  pointerExample: '`/querystring/limit`',
});

/** The refusals every protected route can answer with, besides its own. */
export const authProblemResponses = {
  401: problemResponse(
    'No bearer token, or one that is malformed, expired, or from another issuer or audience.',
  ),
  403: problemResponse('The token is valid but its role may not use this route.'),
  503: problemResponse(
    'A dependency (the token signing keys, Elasticsearch, Kafka) is unavailable; honour Retry-After.',
  ),
} as const;

/** A body over the API's 64 KiB limit (declared or counted while read), refused before it is parsed. */
export const bodyTooLargeResponse = problemResponse(
  'The body is over 64 KiB (TRIAGE_REQUEST_TOO_LARGE); no route takes more than a reason or a note.',
);

export const healthSchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'ready', 'not-ready'] },
    tokenKeys: {
      type: 'boolean',
      description: 'the token signing keys are loaded (JWKS fetched or local file read)',
    },
    elasticsearch: { type: 'boolean', description: 'Elasticsearch answers and the cases alias exists' },
    kafka: {
      type: 'boolean',
      description: 'a broker answers for the audit topic (every read is audited there)',
    },
  },
} as const;
