import { bearerToken, type Principal, publicAccess } from '@triage/auth';
import type { FastifyInstance } from 'fastify';
import { checkReadiness, type ReadinessProbes } from '../health/readiness.ts';
import { healthSchema } from './schemas.ts';

export interface HealthRoutesOptions {
  readiness: ReadinessProbes;
  /** Verifies a bearer token: an operator's token gets the dependencies behind the answer. */
  verifyToken: (token: string) => Promise<Principal>;
}

/**
 * Liveness (the process answers) and readiness (tokens can be checked, Elasticsearch and the audit
 * topic answer); both public, as probes have no token. Which dependency is down is told only to
 * a bearer token with role operator: to anyone else it maps the deployment's weak spots.
 */
export async function healthRoutes(app: FastifyInstance, options: HealthRoutesOptions): Promise<void> {
  app.get(
    '/healthz',
    {
      config: { access: publicAccess },
      schema: { tags: ['health'], summary: 'Liveness', response: { 200: healthSchema } },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { access: publicAccess },
      schema: {
        tags: ['health'],
        summary:
          'Readiness: the token signing keys are loaded, Elasticsearch and Kafka answer (which, for an operator token only)',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (request, reply) => {
      const { ready, ...dependencies } = await checkReadiness(options.readiness);
      const status = ready ? 'ready' : 'not-ready';
      const operator = await isOperator(request.headers.authorization, options.verifyToken);
      return reply.code(ready ? 200 : 503).send(operator ? { status, ...dependencies } : { status });
    },
  );
}

/** A valid operator token; a missing, invalid or other role's token is simply not one (the probe still answers). */
async function isOperator(
  authorization: string | undefined,
  verifyToken: (token: string) => Promise<Principal>,
): Promise<boolean> {
  if (authorization === undefined) return false;
  try {
    return (await verifyToken(bearerToken(authorization))).role === 'operator';
  } catch {
    return false;
  }
}
