import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import { authentication, type Principal } from '@triage/auth';
import { problemHandling, requestLog, routerProblems } from '@triage/http-problems';
import { browserSecurityHeaders, httpsOption, type ServerTls } from '@triage/http-security';
import type { Logger } from '@triage/logging';
import { httpMetrics, type MetricsRegistry } from '@triage/metrics';
import type { KnownHash } from '@triage/schemas';
import { indexNames, searchIndices } from '@triage/search';
import Fastify, { LogController } from 'fastify';
import type { ActionLog } from './actions/action-log.ts';
import type { CategoryBook } from './actions/category-book.ts';
import { type AuditRecorder, auditRefusals } from './audit/audited.ts';
import type { ConsoleBundle } from './console/console-bundle.ts';
import { cachedProbe, elasticsearchProbe, type ReadinessProbes } from './health/readiness.ts';
import type { MediaDeps } from './media/media-pictures.ts';
import type { OidcLogin } from './oidc/oidc-login.ts';
import { actionRoutes } from './routes/action-routes.ts';
import { auditChainRoutes } from './routes/audit-chain-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { categoryRoutes } from './routes/category-routes.ts';
import { consoleRoutes } from './routes/console-routes.ts';
import { type DevLogin, devLoginRoutes } from './routes/dev-login-routes.ts';
import { exposureRoutes } from './routes/exposure-routes.ts';
import { hashRoutes } from './routes/hash-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { hosterRoutes } from './routes/hoster-routes.ts';
import { meRoutes } from './routes/me-routes.ts';
import { mediaRoutes } from './routes/media-routes.ts';
import { openapiRoute } from './routes/openapi-route.ts';
import { readRoutes } from './routes/read-routes.ts';
import { authProblemResponses, bodyTooLargeResponse, problemSchema } from './routes/schemas.ts';
import type { SearchDeps } from './search/case-store.ts';

export interface TriageApiDeps {
  logger: Logger;
  /** Verifies a bearer token (createTokenVerifier), throwing catalogue errors. */
  verifyToken: (token: string) => Promise<Principal>;
  /** True once tokens can be verified (readiness). */
  keysReady: () => Promise<boolean>;
  /** True while a broker answers for the audit topic (readiness; main.ts uses `topicProbe`). */
  kafkaReady: () => Promise<boolean>;
  /** Where every read is audited before it is answered (an AuditTrail on the audit topic). */
  trail: AuditRecorder;
  /** The Elasticsearch client and the deployment's index prefix. */
  search: SearchDeps;
  /** The content store the media routes read, and their decode limits; absent: no media routes. */
  media?: MediaDeps;
  /** Largest PDQ distance of a hash look-up (TRIAGE_API_HASH_MAX_PDQ_DISTANCE); default 31. */
  maxPdqDistance?: number | undefined;
  /** Where analysts' actions are written (triage.actions.v1, acks=all). */
  actions: ActionLog;
  /** Every item's category state (followedCategoryBook); absent: no category routes. */
  categories?: CategoryBook | undefined;
  /** A list's live entries on hashsets.v1 (readListEntries); absent: no hash-list export route. */
  listEntries?: ((list: string) => Promise<KnownHash[]>) | undefined;
  /** DEVELOPMENT ONLY: the local issuer `POST /v1/dev/token` signs with; absent: no such route. */
  devLogin?: DevLogin | undefined;
  /** The console's sign-in at an OIDC identity provider; absent: no such routes. */
  oidc?: OidcLogin | undefined;
  /** The web console's built bundle, served at `/` (readConsoleBundle); absent: no console routes. */
  console?: ConsoleBundle | null | undefined;
  /** Where request durations are counted (served on the ops port, not here); absent: not counted. */
  metrics?: MetricsRegistry | undefined;
  /** What `/readyz` checks; default `readinessProbes(deps)`. main.ts passes its own, shared with the ops port. */
  readiness?: ReadinessProbes | undefined;
  /** Serve HTTPS only, with this certificate and key (readServerTls); absent: plain HTTP. */
  tls?: ServerTls | undefined;
  /** How old the hoster figures' documents may be before a read catches up (TRIAGE_API_HOSTER_REFRESH_MS); default 1000. */
  hosterRefreshMs?: number | undefined;
}

/** Readiness probes answer from a check at most this old, and give up on a dependency after this long. */
const probeTtlMs = 2_000;
const probeTimeoutMs = 2_000;

/** The OpenAPI security scheme every protected route references. */
const securityScheme = 'bearerAuth';

/** Each dependency `/readyz` checks, cached so probes are no load on Kafka or Elasticsearch. */
export function readinessProbes(
  deps: Pick<TriageApiDeps, 'keysReady' | 'kafkaReady' | 'search'>,
): ReadinessProbes {
  return {
    tokenKeys: deps.keysReady,
    elasticsearch: cachedProbe(
      elasticsearchProbe(
        deps.search.client,
        indexNames(deps.search.prefix, searchIndices.cases).alias,
        probeTimeoutMs,
      ),
      probeTtlMs,
    ),
    kafka: cachedProbe(deps.kafkaReady, probeTtlMs),
  };
}

/** Builds the triage API (no listening): tests drive it with `inject`, main.ts listens. */
export async function buildApp(deps: TriageApiDeps) {
  const problems = {
    realm: 'triage',
    // Fastify's 413 for a body past bodyLimit would otherwise become a 400 TRIAGE_REQUEST_INVALID.
    frameworkCodes: { FST_ERR_CTP_BODY_TOO_LARGE: { code: 'TRIAGE_REQUEST_TOO_LARGE', pointer: '/body' } },
  } as const;
  const app = Fastify({
    loggerInstance: deps.logger,
    // Fastify's own request lines are off: the onResponse hook writes one line per request.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    // The API takes small JSON bodies only (actions, reasons); nothing large is uploaded here.
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    ...routerProblems(problems),
    ...httpsOption(deps.tls),
  });
  app.addSchema(problemSchema);
  await app.register(problemHandling, problems);
  await app.register(browserSecurityHeaders, { tls: deps.tls !== undefined });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'triage API',
        version: '1.0.0',
        description:
          "The analysts' API: the queue, cases, hash look-ups and previews, every read audited. " +
          'Every route but the health probes needs a bearer token whose role the route allows; ' +
          'every error is an RFC 9457 problem with a code from docs/errors.md.',
      },
      components: {
        securitySchemes: {
          [securityScheme]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'A JWT from the identity provider (locally: `pnpm triage token --role analyst`)',
          },
        },
      },
    },
    // Shared schemas keep their $id as their component name (Problem).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`),
    },
  });
  // Deny by default from here on: every route declares its access (publicAccess or requireRoles).
  await app.register(authentication, {
    verifyToken: deps.verifyToken,
    securityScheme,
    refusalResponses: authProblemResponses,
  });

  // Every route that takes a body documents the 413 a body past bodyLimit gets.
  app.addHook('onRoute', (route) => {
    if (route.schema?.body === undefined) return;
    const response = { 413: bodyTooLargeResponse, ...(route.schema.response as object | undefined) };
    route.schema = { ...route.schema, response };
  });

  // The request id on every answer: it joins a response to its audit event and its log line.
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // One line per request: who (subject and role, never names or tokens), route, status, outcome.
  await app.register(requestLog, {
    fields: (request) => ({ sub: request.principal?.sub, role: request.principal?.role }),
  });

  if (deps.metrics) await app.register(httpMetrics, { registry: deps.metrics });

  await app.register(healthRoutes, {
    readiness: deps.readiness ?? readinessProbes(deps),
    verifyToken: deps.verifyToken,
  });
  await app.register(openapiRoute);
  await app.register(auditRefusals, { trail: deps.trail });
  await app.register(readRoutes, { search: deps.search, trail: deps.trail });
  await app.register(mediaRoutes, { media: deps.media, search: deps.search, trail: deps.trail });
  await app.register(hashRoutes, deps);
  await app.register(actionRoutes, { search: deps.search, trail: deps.trail, actions: deps.actions });
  await app.register(categoryRoutes, deps);
  await app.register(devLoginRoutes, { devLogin: deps.devLogin });
  await app.register(authRoutes, { devLogin: deps.devLogin !== undefined, oidc: deps.oidc });
  await app.register(exposureRoutes, { search: deps.search, trail: deps.trail });
  await app.register(meRoutes);
  await app.register(auditChainRoutes, { search: deps.search, trail: deps.trail });
  await app.register(hosterRoutes, {
    search: deps.search,
    trail: deps.trail,
    refreshMs: deps.hosterRefreshMs,
  });
  if (deps.console != null) await app.register(consoleRoutes, { bundle: deps.console });
  return app;
}
