import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface RequestLogOptions {
  /** What the service adds to each line (who asked, what came of it); never tokens, media or report text. */
  fields(request: FastifyRequest): Record<string, unknown>;
}

/**
 * One log line per answered request: method, route (the pattern, not the URL, so no id or query
 * leaks), status, outcome (a catalogue code when a problem was sent), the service's own fields, and
 * the time taken. Fastify's own request lines should be off (`disableRequestLogging`).
 */
export const requestLog = fp(
  async (app: FastifyInstance, options: RequestLogOptions) => {
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unknown',
          status: reply.statusCode,
          outcome: request.outcome ?? (reply.statusCode < 400 ? 'ok' : 'refused'),
          ...options.fields(request),
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
    });
  },
  { name: 'request-log' },
);
