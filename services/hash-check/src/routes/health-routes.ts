import type { FastifyInstance } from 'fastify';
import { healthSchema } from './schemas.ts';

export interface HealthRoutesOptions {
  /** True once the lists are read from hashsets.v1. */
  ready: () => boolean;
}

/** Liveness, and readiness (the lists are loaded): unauthenticated, they say nothing of the lists. */
export async function healthRoutes(app: FastifyInstance, options: HealthRoutesOptions): Promise<void> {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'Liveness', response: { 200: healthSchema } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the known lists are loaded',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const ready = options.ready();
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready' });
    },
  );
}
