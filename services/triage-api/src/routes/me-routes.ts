import { requireRoles, userRoles } from '@triage/auth';
import type { FastifyInstance } from 'fastify';

const meSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sub', 'role', 'iat', 'exp'],
  properties: {
    sub: { type: 'string', description: 'The token\u2019s subject' },
    role: { type: 'string', enum: [...userRoles] },
    iat: {
      type: ['integer', 'null'],
      description: 'When the token was issued (epoch seconds); null if it says not',
    },
    exp: { type: ['integer', 'null'], description: 'When the token expires (epoch seconds)' },
  },
} as const;

/** `GET /v1/me`: who the bearer token says the caller is (the console's header and its session end). */
export async function meRoutes(app: FastifyInstance): Promise<void> {
  // Not audited: it answers from the caller's own token and reads nothing else.
  app.get(
    '/v1/me',
    {
      config: { access: requireRoles(...userRoles) },
      schema: {
        tags: ['session'],
        summary: 'The caller as the token says: subject, role, issued and expiry times',
        response: { 200: meSchema },
      },
    },
    async (request) => {
      const principal = request.principal!;
      return { sub: principal.sub, role: principal.role, iat: principal.issuedAt, exp: principal.expiresAt };
    },
  );
}
