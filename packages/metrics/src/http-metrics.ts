import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Histogram, type Registry } from 'prom-client';

export interface HttpMetricsOptions {
  /** The process's registry (createMetricsRegistry); served on the ops port, never on this app's. */
  registry: Registry;
}

const name = 'triage_http_request_duration_seconds';

/** From a health probe (~1 ms) to a large bundle upload (minutes land in the last buckets). */
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Routes no pattern matched (404s): one series for all, so a scan of random URLs adds none. */
const unmatchedRoute = 'unmatched';

/** The histogram on `registry`, made once: two apps of one process (tests) share it. */
function requestDuration(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Histogram<'method' | 'route' | 'status'>;
  return new Histogram({
    name,
    help: 'Answered HTTP requests by method, route pattern and status: duration in seconds',
    labelNames: ['method', 'route', 'status'],
    buckets,
    registers: [registry],
  });
}

/**
 * Times every answered request. The route label is the pattern (`/v1/cases/:caseId`), never the
 * URL: ids and queries would leak into the labels and every id would make a series of its own.
 */
export const httpMetrics = fp(
  async (app: FastifyInstance, options: HttpMetricsOptions) => {
    const histogram = requestDuration(options.registry);
    app.addHook('onResponse', async (request, reply) => {
      histogram.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? unmatchedRoute,
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'triage-http-metrics' },
);
