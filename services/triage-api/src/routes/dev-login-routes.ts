// DEVELOPMENT ONLY. A password-less login for the console against the local development issuer:
// anyone who can reach the API may sign a token for any role. Registered only when the API trusts
// the local issuer (no TRIAGE_API_JWKS_URL) and TRIAGE_API_DEV_LOGIN is not `false`; with a
// production identity provider this route does not exist (404).
import { publicAccess, signLocalToken, type UserRole } from '@triage/auth';
import type { FastifyInstance } from 'fastify';
import { devTokenBodySchema, devTokenResponses } from './dev-login-schemas.ts';

/** The local issuer the development login signs with. */
export interface DevLogin {
  /** Folder of the local issuer's keys (TRIAGE_AUTH_LOCAL_DIR), the one the verifier trusts. */
  dir: string;
  /** Default: the system clock. */
  now?: () => Date;
}

/** A console session's length: a working day's shift, as `triage token --ttl 8h`. */
export const devTokenTtlSeconds = 8 * 60 * 60;

export interface DevLoginRoutesOptions {
  /** Absent: no development login (a production identity provider, or turned off). */
  devLogin: DevLogin | undefined;
}

interface DevTokenBody {
  role: UserRole;
  sub: string;
}

/** `POST /v1/dev/token`: a local-issuer token for the role and subject asked for (development only). */
export async function devLoginRoutes(app: FastifyInstance, options: DevLoginRoutesOptions): Promise<void> {
  const { devLogin } = options;
  if (devLogin === undefined) return;

  app.post(
    '/v1/dev/token',
    {
      config: { access: publicAccess },
      schema: {
        tags: ['development'],
        summary:
          'DEVELOPMENT ONLY: a bearer token of the local development issuer for any role and subject (no password); absent (404) with a production identity provider',
        body: devTokenBodySchema,
        response: devTokenResponses,
      },
    },
    async (request) => {
      const { role, sub } = request.body as DevTokenBody;
      const issuedAt = devLogin.now?.() ?? new Date();
      const token = await signLocalToken({
        dir: devLogin.dir,
        role,
        sub,
        ttlSeconds: devTokenTtlSeconds,
        now: () => issuedAt,
      });
      // Who was let in, never the token: a development login leaves a trace in the log.
      request.log.warn({ role, sub }, 'development login: issued a local-issuer token (not for production)');
      // The token's `exp` is whole seconds; the answer says the same instant.
      return { token, expiresAt: (Math.floor(issuedAt.getTime() / 1000) + devTokenTtlSeconds) * 1000 };
    },
  );
}
