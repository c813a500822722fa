import { publicAccess } from '@triage/auth';
import type { FastifyInstance } from 'fastify';
import { healthSchema } from './schemas.ts';

export interface HealthRoutesOptions {
  /** True once tokens can be verified. */
  keysReady: () => Promise<boolean>;
}

/** Liveness (the process answers) and readiness (tokens can be checked); both public, as probes have no token. */
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
        summary: 'Readiness: the token signing keys are loaded',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const tokenKeys = await options.keysReady();
      return reply.code(tokenKeys ? 200 : 503).send({ status: tokenKeys ? 'ready' : 'not-ready', tokenKeys });
    },
  );
}
