import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import {
  type FrameworkCodeMapping,
  problemHandling,
  requestLog,
  routerProblems,
} from '@triage/http-problems';
import { browserSecurityHeaders, httpsOption, type ServerTls } from '@triage/http-security';
import type { Logger } from '@triage/logging';
import { httpMetrics, type MetricsRegistry } from '@triage/metrics';
import Fastify, { LogController } from 'fastify';
import { type CheckRoutesOptions, checkRoutes } from './routes/check-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { problemSchema } from './routes/schemas.ts';

export interface HashCheckAppDeps extends CheckRoutesOptions {
  logger: Logger;
  /** Where request durations are counted (served on the ops port, not here); absent: not counted. */
  metrics?: MetricsRegistry | undefined;
  /** Serve HTTPS only, with this certificate and key (readServerTls); absent: plain HTTP. */
  tls?: ServerTls | undefined;
}

/**
 * Bytes a batch of `maxBatch` hashes can take: ~100 bytes per hash as JSON (type, 64 hex digits,
 * punctuation) with room for whitespace. A larger body is cut off before it is parsed.
 */
function bodyLimitOf(maxBatch: number): number {
  return maxBatch * 160 + 4_096;
}

const frameworkCodes: Record<string, FrameworkCodeMapping> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'TRIAGE_HASH_CHECK_BATCH_TOO_LARGE', pointer: '/body' },
};

/** Builds the hash-check app (no listening): tests drive it with `inject` or a socket, main.ts listens. */
export async function buildApp(deps: HashCheckAppDeps) {
  const problems = { realm: 'triage-hash-check', frameworkCodes };
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: bodyLimitOf(deps.limits.maxBatch),
    return503OnClosing: true,
    ...routerProblems(problems),
    ...httpsOption(deps.tls),
  });
  app.decorateRequest('hoster', null);
  app.decorateRequest('batch', null);
  app.addSchema(problemSchema);
  await app.register(problemHandling, problems);
  await app.register(browserSecurityHeaders, { tls: deps.tls !== undefined });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'triage hash-check',
        version: '1.0.0',
        description:
          'Hosting companies check the hashes of files they hold against the known lists, without sending content. ' +
          'Every error is an RFC 9457 problem with a code from docs/errors.md. Policy and key handling: docs/adr/0018-hash-check-service.md.',
      },
      components: {
        securitySchemes: { hosterKey: { type: 'http', scheme: 'bearer', description: 'Hoster key' } },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`),
    },
  });
  // One line per request: hoster, key, counts and outcome; never a hash.
  await app.register(requestLog, {
    fields: (request) => ({
      hosterId: request.hoster?.hosterId,
      keyId: request.hoster?.keyId,
      batch: request.batch ?? undefined,
    }),
  });
  if (deps.metrics) await app.register(httpMetrics, { registry: deps.metrics });
  await app.register(healthRoutes, { ready: deps.lists.ready });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(checkRoutes, deps);
  return app;
}
