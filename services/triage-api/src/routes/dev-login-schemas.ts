// Schemas of the development login (development only; see dev-login-routes.ts).
import { userRoles } from '@triage/auth';
import { problemResponse } from '@triage/http-problems';

/** A subject that is safe in audit events and logs: a short lower-case id, never a name or an e-mail address. */
const devSubjectPattern = '^[a-z0-9][a-z0-9._-]{0,63}$';

export const devTokenBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'sub'],
  properties: {
    role: { type: 'string', enum: [...userRoles], description: 'The role the token carries' },
    sub: {
      type: 'string',
      pattern: devSubjectPattern,
      description:
        'The subject: 1-64 lower-case letters, digits or . _ - (an id such as `analyst-1`, not a name)',
    },
  },
} as const;

export const devTokenResponses = {
  200: {
    type: 'object',
    additionalProperties: false,
    required: ['token', 'expiresAt'],
    properties: {
      token: {
        type: 'string',
        description: 'A JWT of the local development issuer; send it as `Authorization: Bearer <token>`',
      },
      expiresAt: {
        type: 'integer',
        description: 'When the token expires (epoch milliseconds; 8 hours after it was issued)',
      },
    },
  },
  400: problemResponse(
    'Unknown role, a subject outside the pattern, or extra fields (TRIAGE_REQUEST_INVALID).',
  ),
} as const;
