import { TriageError } from '@triage/errors';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { type Principal, principalFromClaims } from './principal.ts';

/** Where the verifier finds the issuer's public keys. */
export interface KeySource {
  keys: JWTVerifyGetKey;
  /** True once the keys can be used (readiness): a fetched remote key set, or a loaded local one. */
  ready: () => Promise<boolean>;
}

export interface RemoteKeySourceOptions {
  /** The issuer's JWKS URL (https in production). */
  url: URL;
  /** Abort a key set fetch after this long. */
  timeoutMs: number;
  /** Keep fetched keys this long before fetching again. */
  cacheMaxAgeMs: number;
}

/** Production: the issuer's key set over HTTP, cached; a token with an unknown `kid` refetches (at most every 30 s). */
export function remoteKeySource(options: RemoteKeySourceOptions): KeySource {
  const keySet = createRemoteJWKSet(options.url, {
    timeoutDuration: options.timeoutMs,
    cacheMaxAge: options.cacheMaxAgeMs,
  });
  return {
    keys: keySet,
    ready: async () => {
      if (keySet.jwks() !== undefined) return true;
      try {
        await keySet.reload();
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The local development issuer's key set, read from its file once. */
export function localKeySource(jwks: JSONWebKeySet): KeySource {
  return { keys: createLocalJWKSet(jwks), ready: async () => true };
}

export interface TokenVerifierOptions {
  keySource: KeySource;
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud` (one of the token's audiences). */
  audience: string;
  /** Signature algorithms accepted; anything else (and `none`) is refused before the key is looked up. */
  algorithms: readonly string[];
  /** Leeway for `exp` and `nbf` against clock skew between the issuer and this host. */
  clockToleranceSeconds: number;
  /** Claim that carries the role. */
  roleClaim: string;
  /** The current time, for tests; default: the system clock. */
  now?: () => Date;
}

/** jose's codes for a failure to get the keys themselves, as opposed to a bad token. */
const keySetFailureCodes = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/**
 * A verification failure as a catalogue error: a bad token is TRIAGE_TOKEN_INVALID (401);
 * keys that cannot be fetched are TRIAGE_AUTH_KEYS_UNAVAILABLE (503, retryable), because the
 * token may be fine and the caller should retry rather than sign in again.
 */
export function verificationError(error: unknown): TriageError {
  if (error instanceof TriageError) return error;
  if (error instanceof errors.JOSEError && !keySetFailureCodes.has(error.code)) {
    const reason =
      error instanceof errors.JWTExpired ? 'the token has expired' : `the token was refused (${error.code})`;
    return new TriageError('TRIAGE_TOKEN_INVALID', reason, {
      cause: error,
      details: { bearerError: 'invalid_token', joseCode: error.code },
    });
  }
  // A JWKS fetch that failed (network, non-200, timeout, malformed key set).
  return new TriageError('TRIAGE_AUTH_KEYS_UNAVAILABLE', 'the token signing keys cannot be fetched now', {
    cause: error,
  });
}

/** Verifies a compact JWS token and returns its principal, or throws a catalogue error. */
export function createTokenVerifier(options: TokenVerifierOptions): (token: string) => Promise<Principal> {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, options.keySource.keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [...options.algorithms],
        clockTolerance: options.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
        ...(options.now ? { currentDate: options.now() } : {}),
      });
      return principalFromClaims(payload, options.roleClaim);
    } catch (error) {
      throw verificationError(error);
    }
  };
}
