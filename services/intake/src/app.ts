import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import { jsonManifestJsonSchema } from '@triage/bundles';
import { problemHandling, requestLog, routerProblems } from '@triage/http-problems';
import { browserSecurityHeaders, httpsOption, type ServerTls } from '@triage/http-security';
import type { Logger } from '@triage/logging';
import { httpMetrics, type MetricsRegistry } from '@triage/metrics';
import Fastify, { LogController } from 'fastify';
import { intakeFrameworkCodes } from './http/framework-codes.ts';
import { type BundleRoutesOptions, bundleRoutes } from './routes/bundle-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { openapiRoute } from './routes/openapi-route.ts';
import { bundleStatusSchema, problemSchema, receiptSchema } from './routes/schemas.ts';
import { type TakedownRoutesOptions, takedownRoutes } from './routes/takedown-routes.ts';

export interface IntakeAppDeps extends BundleRoutesOptions {
  logger: Logger;
  /** Where request durations are counted (served on the ops port, not here); absent: not counted. */
  metrics?: MetricsRegistry | undefined;
  /** Serve HTTPS only, with this certificate and key (readServerTls); absent: plain HTTP. */
  tls?: ServerTls | undefined;
  /** Takedown events from hotlines (`POST /v1/takedowns`); absent: not served. */
  takedowns?: Pick<TakedownRoutesOptions, 'book' | 'topic'> | undefined;
}

/** The partner-facing bodies of `POST /v1/bundles`, for the OpenAPI document (the handler reads them itself). */
const bundleRequestBody = {
  required: true,
  content: {
    'application/json': { schema: jsonManifestJsonSchema },
    'application/xml': {
      schema: { type: 'string', description: 'One CyberTipline `<report>` document (cyber_tipline.xsd)' },
    },
    'text/xml': { schema: { type: 'string', description: 'As application/xml' } },
    'application/zip': {
      schema: {
        type: 'string',
        format: 'binary',
        description:
          '`bundle.json` plus media entries, or one report XML plus fileDetails XML documents plus media',
      },
    },
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['manifest'],
        // The handler refuses any other part (TRIAGE_REQUEST_INVALID).
        additionalProperties: false,
        properties: {
          manifest: {
            type: 'string',
            description: 'JSON manifest or report XML, told apart by the part content type',
          },
          fileDetails: {
            type: 'array',
            items: { type: 'string' },
            description: 'CyberTipline `<fileDetails>` documents',
          },
          file: {
            type: 'array',
            items: { type: 'string', format: 'binary' },
            description: 'Media; the filename is the entry name',
          },
        },
      },
      // The manifest's content type says how it is read; a part without one is refused (415).
      encoding: { manifest: { contentType: 'application/json, application/xml' } },
    },
  },
};

/** Builds the intake app (no listening): tests drive it with `inject`, main.ts listens. */
export async function buildApp(deps: IntakeAppDeps) {
  const problems = { realm: 'triage-intake', frameworkCodes: intakeFrameworkCodes };
  const app = Fastify({
    loggerInstance: deps.logger,
    // Fastify's own request lines are off: the onResponse hook writes one line per request.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    // Bodies are streamed by the bundle handler under the bundle limits, not Fastify's.
    bodyLimit: deps.limits.maxBundleBytes,
    return503OnClosing: true,
    ...routerProblems(problems),
    ...httpsOption(deps.tls),
  });
  app.decorateRequest('partner', null);
  app.decorateRequest('summary', null);
  app.addSchema(problemSchema);
  app.addSchema(receiptSchema);
  app.addSchema(bundleStatusSchema);
  await app.register(problemHandling, problems);
  await app.register(browserSecurityHeaders, { tls: deps.tls !== undefined });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'triage intake',
        version: '1.0.0',
        description:
          'Partners send bundles of tipline reports (project JSON, NCMEC CyberTipline XML, ZIP packages, multipart uploads). ' +
          'Every error is an RFC 9457 problem with a code from docs/errors.md and a pointer to the offending input.',
      },
      components: {
        securitySchemes: { partnerKey: { type: 'http', scheme: 'bearer', description: 'Partner API key' } },
      },
    },
    // Shared schemas keep their $id as their component name (Problem, Receipt, BundleStatus).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`),
    },
    transformObject: (documents) => {
      const openapi = (documents as { openapiObject: { paths?: Record<string, Record<string, object>> } })
        .openapiObject;
      const post = openapi.paths?.['/v1/bundles']?.post;
      if (post) Object.assign(post, { requestBody: bundleRequestBody });
      return openapi as never;
    },
  });

  // One line per request: partner, bundle, counts and outcome; never media, keys or report contents.
  await app.register(requestLog, {
    fields: (request) => ({
      partnerId: request.partner?.partnerId,
      keyId: request.partner?.keyId,
      ...request.summary,
    }),
  });

  if (deps.metrics) await app.register(httpMetrics, { registry: deps.metrics });

  await app.register(healthRoutes, { receipts: deps.receipts, gate: deps.gate });
  await app.register(openapiRoute);
  await app.register(bundleRoutes, deps);
  if (deps.takedowns) await app.register(takedownRoutes, { ...deps, ...deps.takedowns });
  return app;
}
