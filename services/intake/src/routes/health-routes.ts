import type { ReadinessReport } from '@triage/metrics';
import type { FastifyInstance } from 'fastify';
import type { PipelineGate } from '../pipeline/pipeline-gate.ts';
import type { ReceiptBook } from '../pipeline/receipt-book.ts';
import { healthSchema } from './schemas.ts';

export interface HealthRoutesOptions {
  receipts: ReceiptBook;
  gate: PipelineGate;
}

/** Intake can take bundles: the bundle status table is loaded and Kafka answers (main and ops port alike). */
export function intakeReadiness(options: HealthRoutesOptions): ReadinessReport {
  const { reachable, pendingBundles } = options.gate.state;
  const ready = options.receipts.ready && reachable;
  return { ready, checks: { statusTable: options.receipts.ready, kafka: reachable, pendingBundles } };
}

/**
 * Liveness (the process answers) and readiness (status table loaded, Kafka reachable). The
 * partner-facing port answers ready or not-ready only: which dependency is down is for operators,
 * on the ops port's /readyz (packages/metrics), which partners cannot reach.
 */
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
        summary:
          'Readiness: the bundle status table is loaded and Kafka answers (which one is down: the ops port only)',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const { ready } = intakeReadiness(options);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready' });
    },
  );
}
