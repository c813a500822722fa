import { publicAccess } from '@triage/auth';
import type { FastifyInstance } from 'fastify';
import { checkReadiness, type ReadinessProbes } from '../health/readiness.ts';
import { healthSchema } from './schemas.ts';

export interface HealthRoutesOptions {
  readiness: ReadinessProbes;
}

/**
 * Liveness (the process answers) and readiness (tokens can be checked, Elasticsearch and the audit
 * topic answer); both public, as probes have no token.
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
        summary: 'Readiness: the token signing keys are loaded, Elasticsearch and Kafka answer',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const { ready, ...dependencies } = await checkReadiness(options.readiness);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', ...dependencies });
    },
  );
}
