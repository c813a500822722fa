import rateLimit from '@fastify/rate-limit';
import { TriageError } from '@triage/errors';
import type { PartnerScope } from '@triage/partners';
import type { FastifyInstance } from 'fastify';
import { type PartnerDirectory, requireScope } from './partner-directory.ts';

export interface PartnerScopeOptions {
  partners: PartnerDirectory;
  /** The scope every route of the plugin needs (a key without it gets 403 TRIAGE_AUTH_FORBIDDEN). */
  scope: PartnerScope;
}

/**
 * Authenticates every request of the calling plugin by its bearer key, refuses a key without the
 * plugin's scope, and rate-limits per partner (each plugin counts its own requests).
 */
export async function partnerAuthentication(
  app: FastifyInstance,
  options: PartnerScopeOptions,
): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const partner = options.partners.authenticate(request.headers.authorization);
    request.partner = partner;
    requireScope(partner, options.scope);
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    keyGenerator: (request) => request.partner!.partnerId,
    max: async (request) => request.partner!.rateLimit.max,
    timeWindow: async (request) => request.partner!.rateLimit.timeWindow,
    errorResponseBuilder: (_request, context) =>
      new TriageError(
        'TRIAGE_RATE_LIMITED',
        `rate limit of ${context.max} requests reached; retry in ${context.after}`,
        {
          details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
        },
      ),
  });
}
