// How the console signs in: `GET /v1/auth/config` says which ways are on; with an OIDC identity
// provider configured, `start` sends the browser to the provider and `callback` takes it back,
// exchanges the code and hands the access token to the console in the URL fragment of /login.
// All public (there is no token yet); the OIDC routes exist only when TRIAGE_API_OIDC_ISSUER is set.
import { publicAccess } from '@triage/auth';
import { problemResponse } from '@triage/http-problems';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OidcLogin } from '../oidc/oidc-login.ts';
import { consoleLoginLocation } from '../oidc/oidc-urls.ts';

export interface AuthRoutesOptions {
  /** Whether `POST /v1/dev/token` is served. */
  devLogin: boolean;
  /** Absent: no OIDC sign-in (404 on its routes). */
  oidc: OidcLogin | undefined;
}

const authConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['devLogin', 'oidc'],
  properties: {
    devLogin: { type: 'boolean', description: 'The development sign-in (`POST /v1/dev/token`) is served' },
    oidc: {
      type: 'boolean',
      description: 'The identity provider sign-in (`GET /v1/auth/oidc/start`) is served',
    },
    oidcProvider: {
      type: 'string',
      description: 'The provider\u2019s name for the sign-in button (with `oidc`)',
    },
  },
} as const;

const redirectResponse = (description: string) => ({
  302: { description, type: 'null' },
});

const callbackQuerySchema = {
  type: 'object',
  // Providers add their own parameters (iss, session_state...): ignored.
  additionalProperties: true,
  properties: {
    code: { type: 'string', maxLength: 2048 },
    state: { type: 'string', maxLength: 256 },
    error: { type: 'string', maxLength: 256 },
  },
} as const;

/** A redirect that carries a secret or starts a sign-in: never cached, never sent on as a Referer. */
const privateRedirect = (reply: FastifyReply, location: string) =>
  reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(location, 302);

export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const { oidc } = options;
  app.get(
    '/v1/auth/config',
    {
      config: { access: publicAccess },
      schema: {
        tags: ['session'],
        summary: 'Which sign-ins the console offers: the development login, the identity provider',
        response: { 200: authConfigSchema },
      },
    },
    async () => ({
      devLogin: options.devLogin,
      oidc: oidc !== undefined,
      ...(oidc === undefined ? {} : { oidcProvider: oidc.providerName }),
    }),
  );
  if (oidc === undefined) return;

  app.get(
    '/v1/auth/oidc/start',
    {
      config: { access: publicAccess },
      schema: {
        tags: ['session'],
        summary:
          'Starts a sign-in at the identity provider: 302 to its authorize endpoint (code flow, PKCE S256, state); only with TRIAGE_API_OIDC_ISSUER',
        response: {
          ...redirectResponse("The provider's authorize URL"),
          502: problemResponse(
            'The provider\u2019s discovery document cannot be read (TRIAGE_OIDC_PROVIDER_UNAVAILABLE).',
          ),
        },
      },
    },
    async (_request, reply) => privateRedirect(reply, (await oidc.start()).href),
  );

  app.get(
    '/v1/auth/oidc/callback',
    {
      config: { access: publicAccess },
      schema: {
        tags: ['session'],
        summary:
          "The identity provider's redirect back: the code is exchanged and checked, then 302 to `/login#token=...` for the console",
        querystring: callbackQuerySchema,
        response: {
          ...redirectResponse('The console\u2019s sign-in page with the access token in the fragment'),
          400: problemResponse('Unknown, expired or reused state (TRIAGE_OIDC_STATE_INVALID).'),
          401: problemResponse(
            'The provider refused (TRIAGE_OIDC_LOGIN_REFUSED), or its token is not one this API accepts (TRIAGE_TOKEN_INVALID).',
          ),
          502: problemResponse(
            'The provider cannot be reached or answered wrongly (TRIAGE_OIDC_PROVIDER_UNAVAILABLE).',
          ),
        },
      },
    },
    async (request, reply) => {
      const { code, state, error } = request.query as { code?: string; state?: string; error?: string };
      const token = await oidc.callback({ code, state, error });
      request.log.info('identity provider sign-in: access token handed to the console');
      return privateRedirect(reply, consoleLoginLocation(token));
    },
  );
}
