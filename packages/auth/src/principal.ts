import { TriageError } from '@triage/errors';
import type { JWTPayload } from 'jose';
import { isUserRole, type UserRole } from './roles.ts';

/** Who made a request, as the audit records it. */
export interface Principal {
  /** The token's subject: the user's stable id at the issuer. */
  sub: string;
  role: UserRole;
  /** The token's `jti`, when the issuer sets one (the local development issuer always does). */
  tokenId: string | null;
  /** The token's `iat` (epoch seconds): when the caller's session began; null when the issuer omits it. */
  issuedAt: number | null;
  /** The token's `exp` (epoch seconds); null only for principals not made from a verified token. */
  expiresAt: number | null;
}

/** Why a bearer token was refused, in RFC 6750's words, for the `WWW-Authenticate` challenge. */
const invalidToken = { bearerError: 'invalid_token' } as const;

/** The token of an `Authorization: Bearer <token>` header; TRIAGE_TOKEN_MISSING otherwise. */
export function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization ?? '');
  if (!match) {
    throw new TriageError(
      'TRIAGE_TOKEN_MISSING',
      authorization ? 'the Authorization header is not a bearer token' : 'send Authorization: Bearer <token>',
      { pointer: '/headers/authorization' },
    );
  }
  return match[1]!;
}

/**
 * The principal of a token whose signature, issuer, audience and lifetime were already checked:
 * it must name a subject and exactly one known role in `roleClaim`.
 */
export function principalFromClaims(payload: JWTPayload, roleClaim: string): Principal {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
    throw new TriageError('TRIAGE_TOKEN_INVALID', 'the token has no subject (sub)', {
      details: invalidToken,
    });
  }
  const role = payload[roleClaim];
  if (!isUserRole(role)) {
    throw new TriageError('TRIAGE_TOKEN_INVALID', `the token's ${roleClaim} claim is not a known role`, {
      details: invalidToken,
    });
  }
  return {
    sub: payload.sub,
    role,
    tokenId: typeof payload.jti === 'string' ? payload.jti : null,
    issuedAt: typeof payload.iat === 'number' ? payload.iat : null,
    expiresAt: typeof payload.exp === 'number' ? payload.exp : null,
  };
}

/** TRIAGE_ROLE_FORBIDDEN unless the principal's role is one of `allowed`. */
export function authorise(principal: Principal, allowed: readonly UserRole[]): void {
  if (!allowed.includes(principal.role)) {
    throw new TriageError('TRIAGE_ROLE_FORBIDDEN', `role ${principal.role} may not use this route`, {
      details: { role: principal.role, allowed },
    });
  }
}
