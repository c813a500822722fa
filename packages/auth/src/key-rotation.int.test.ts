// Rotating the identity provider's signing key with no restart of the API (docs/security.md,
// "Secrets and key rotation"): the verifier picks the key by `kid` from the JWKS it fetched, so
// while the provider publishes the old and the new key both verify. The windows are jose's, with
// the API's default cache: a new `kid` is fetched at most every 30 s, a retired key is trusted
// until the cached set is 10 minutes old. The clock is moved with Date.now; the JWKS is served
// over real HTTP on 127.0.0.1.
import { TriageError } from '@triage/errors';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type JwksServer, serveJwks } from './testing/jwks-server.ts';
import { createTokenVerifier, remoteKeySource } from './token-verifier.ts';

const issuer = 'https://issuer.test';
const audience = 'triage-api';
/** TRIAGE_API_JWKS_CACHE_MS's default. */
const cacheMaxAgeMs = 600_000;
const start = Date.parse('2026-12-05T09:00:00Z');

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let oldKey: KeyPair;
let newKey: KeyPair;
let oldJwk: JWK;
let newJwk: JWK;

beforeAll(async () => {
  oldKey = await generateKeyPair('ES256');
  newKey = await generateKeyPair('ES256');
  oldJwk = { ...(await exportJWK(oldKey.publicKey)), kid: 'signing-2026-06', alg: 'ES256', use: 'sig' };
  newJwk = { ...(await exportJWK(newKey.publicKey)), kid: 'signing-2026-12', alg: 'ES256', use: 'sig' };
});

let clock = start;
let server: JwksServer | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
});

/** A token of `sub`, signed by `key` under `kid`, valid for a day from `start`. */
function token(key: KeyPair, kid: string, sub: string): Promise<string> {
  return new SignJWT({ role: 'analyst' })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(sub)
    .setIssuedAt(Math.floor(start / 1000))
    .setExpirationTime(Math.floor(start / 1000) + 24 * 3600)
    .sign(key.privateKey);
}

/** The subject the verifier accepts, or the code it refuses with. */
async function outcome(verify: (token: string) => Promise<{ sub: string }>, jwt: string): Promise<string> {
  try {
    return (await verify(jwt)).sub;
  } catch (error) {
    if (error instanceof TriageError) return error.code;
    throw error;
  }
}

describe('rotating the JWT signing key at the identity provider', () => {
  it('given the new key published beside the old, then both verify without a restart, and the retired one stops within the cache age', async () => {
    vi.spyOn(Date, 'now').mockImplementation(() => clock);
    server = await serveJwks({ keys: [oldJwk] });
    const verify = createTokenVerifier({
      keySource: remoteKeySource({ url: server.url, timeoutMs: 5_000, cacheMaxAgeMs }),
      issuer,
      audience,
      algorithms: ['ES256'],
      clockToleranceSeconds: 30,
      roleClaim: 'role',
      now: () => new Date(clock),
    });
    const byOld = await token(oldKey, oldJwk.kid!, 'analyst-old');
    const byNew = await token(newKey, newJwk.kid!, 'analyst-new');

    // Before the rotation: one fetch, the old key.
    expect(await outcome(verify, byOld)).toBe('analyst-old');
    expect(server.fetches()).toBe(1);

    // The provider publishes both keys and signs with the new one at once: within 30 s of the
    // last fetch an unknown kid is not fetched again (a flood of forged kids cannot hammer the
    // provider), so the new key's tokens are refused. Publish ahead: at least 30 s.
    server.publish({ keys: [oldJwk, newJwk] });
    clock = start + 1_000;
    expect(await outcome(verify, byNew)).toBe('TRIAGE_TOKEN_INVALID');
    expect(server.fetches()).toBe(1);

    // 31 s after the last fetch the unknown kid fetches the set again: both keys verify.
    clock = start + 31_000;
    expect(await outcome(verify, byNew)).toBe('analyst-new');
    expect(server.fetches()).toBe(2);
    expect(await outcome(verify, byOld)).toBe('analyst-old');

    // The old key retired: its tokens still verify while the cached set is fresh...
    server.publish({ keys: [newJwk] });
    clock = start + 31_000 + cacheMaxAgeMs - 1_000;
    expect(await outcome(verify, byOld)).toBe('analyst-old');
    expect(server.fetches()).toBe(2);

    // ...and are refused once it is older than the cache age: the set is fetched again without it.
    clock = start + 31_000 + cacheMaxAgeMs + 1_000;
    expect(await outcome(verify, byOld)).toBe('TRIAGE_TOKEN_INVALID');
    expect(server.fetches()).toBe(3);
    expect(await outcome(verify, byNew)).toBe('analyst-new');
  });
});
