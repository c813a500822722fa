// PKCE (RFC 7636, method S256) and the login's `state`: random values made here, the challenge
// sent to the identity provider, the verifier kept server-side until the code is exchanged.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters (RFC 7636 asks for 43-128 of the unreserved set). */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** The S256 challenge of a verifier: BASE64URL(SHA-256(ASCII(verifier))). */
export const pkceChallenge = (verifier: string): string =>
  createHash('sha256').update(verifier, 'ascii').digest('base64url');

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function createPkce(): Pkce {
  const verifier = randomToken();
  return { verifier, challenge: pkceChallenge(verifier) };
}
