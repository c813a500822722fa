import {
  createTokenVerifier,
  type KeySource,
  localKeySource,
  type Principal,
  readLocalJwks,
  remoteKeySource,
} from '@triage/auth';
import type { Logger } from '@triage/logging';
import { devLoginEnabled, type TriageApiConfig } from './config.ts';
import { createOidcLogin, type OidcLogin } from './oidc/oidc-login.ts';
import type { DevLogin } from './routes/dev-login-routes.ts';

export interface TriageApiAuth {
  verifyToken: (token: string) => Promise<Principal>;
  keysReady: () => Promise<boolean>;
  /** The development login's issuer; only with the local issuer and TRIAGE_API_DEV_LOGIN not `false`. */
  devLogin?: DevLogin;
  /** The console's sign-in at the identity provider; only with TRIAGE_API_OIDC_ISSUER. */
  oidc?: OidcLogin;
}

/**
 * The token verifier the configuration asks for: the production JWKS URL, else the local development
 * issuer (and with it, unless turned off, the development login).
 */
export async function createTriageApiAuth(config: TriageApiConfig, logger: Logger): Promise<TriageApiAuth> {
  let keySource: KeySource;
  if (config.TRIAGE_API_JWKS_URL === undefined) {
    logger.warn(
      { dir: config.TRIAGE_AUTH_LOCAL_DIR },
      'no TRIAGE_API_JWKS_URL: accepting tokens of the local development issuer only (not for production)',
    );
    keySource = localKeySource(await readLocalJwks(config.TRIAGE_AUTH_LOCAL_DIR));
  } else {
    keySource = remoteKeySource({
      url: new URL(config.TRIAGE_API_JWKS_URL),
      timeoutMs: config.TRIAGE_API_JWKS_TIMEOUT_MS,
      cacheMaxAgeMs: config.TRIAGE_API_JWKS_CACHE_MS,
    });
  }
  const devLogin = devLoginEnabled(config) ? { dir: config.TRIAGE_AUTH_LOCAL_DIR } : undefined;
  if (devLogin !== undefined) {
    logger.warn(
      'POST /v1/dev/token is on: anyone who reaches this API can sign in with any role (development only; TRIAGE_API_DEV_LOGIN=false turns it off)',
    );
  }
  const verifyToken = createTokenVerifier({
    keySource,
    issuer: config.TRIAGE_API_TOKEN_ISSUER,
    audience: config.TRIAGE_API_TOKEN_AUDIENCE,
    algorithms: config.TRIAGE_API_TOKEN_ALGORITHMS,
    clockToleranceSeconds: config.TRIAGE_API_CLOCK_TOLERANCE_SECONDS,
    roleClaim: config.TRIAGE_API_TOKEN_ROLE_CLAIM,
  });
  return {
    ...(devLogin === undefined ? {} : { devLogin }),
    ...oidcOf(config, verifyToken),
    verifyToken,
    keysReady: keySource.ready,
  };
}

/** The OIDC client of the configuration (config.ts has checked that the settings go together). */
function oidcOf(config: TriageApiConfig, verifyToken: (token: string) => Promise<Principal>) {
  const issuer = config.TRIAGE_API_OIDC_ISSUER;
  const clientId = config.TRIAGE_API_OIDC_CLIENT_ID;
  const redirectUrl = config.TRIAGE_API_OIDC_REDIRECT_URL;
  if (issuer === undefined || clientId === undefined || redirectUrl === undefined) return {};
  const oidc = createOidcLogin({
    client: {
      issuer,
      clientId,
      clientSecret: config.TRIAGE_API_OIDC_CLIENT_SECRET,
      redirectUrl,
      scopes: config.TRIAGE_API_OIDC_SCOPES,
    },
    providerName: config.TRIAGE_API_OIDC_PROVIDER_NAME,
    verifyToken,
    timeoutMs: config.TRIAGE_API_JWKS_TIMEOUT_MS,
  });
  return { oidc };
}
