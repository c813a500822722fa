import { localAlgorithm, localIssuer, readLocalJwks, triageApiAudience } from '../local-issuer.ts';
import type { Principal } from '../principal.ts';
import { createTokenVerifier, localKeySource } from '../token-verifier.ts';

/** Verifies tokens of the local issuer in `dir` strictly (no clock tolerance), as the triage API would by default. */
export async function localIssuerVerifier(
  dir: string,
  now?: () => Date,
): Promise<(token: string) => Promise<Principal>> {
  return createTokenVerifier({
    keySource: localKeySource(await readLocalJwks(dir)),
    issuer: localIssuer,
    audience: triageApiAudience,
    algorithms: [localAlgorithm],
    clockToleranceSeconds: 0,
    roleClaim: 'role',
    ...(now ? { now } : {}),
  });
}
