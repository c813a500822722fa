import {
  createTokenVerifier,
  type KeySource,
  localKeySource,
  type Principal,
  readLocalJwks,
  remoteKeySource,
} from '@triage/auth';
import type { Logger } from '@triage/logging';
import type { TriageApiConfig } from './config.ts';

export interface TriageApiAuth {
  verifyToken: (token: string) => Promise<Principal>;
  keysReady: () => Promise<boolean>;
}

/** The token verifier the configuration asks for: the production JWKS URL, else the local development issuer. */
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
  return {
    verifyToken: createTokenVerifier({
      keySource,
      issuer: config.TRIAGE_API_TOKEN_ISSUER,
      audience: config.TRIAGE_API_TOKEN_AUDIENCE,
      algorithms: config.TRIAGE_API_TOKEN_ALGORITHMS,
      clockToleranceSeconds: config.TRIAGE_API_CLOCK_TOLERANCE_SECONDS,
      roleClaim: config.TRIAGE_API_TOKEN_ROLE_CLAIM,
    }),
    keysReady: keySource.ready,
  };
}
