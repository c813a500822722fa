import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensureLocalIssuerKeys,
  localIssuer,
  readLocalJwks,
  signLocalToken,
  triageApiAudience,
} from './local-issuer.ts';
import { localIssuerVerifier } from './testing/local-verifier.ts';

let dir: string;

beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), 'auth-issuer-')), 'auth');
});
afterEach(async () => {
  await rm(path.dirname(dir), { recursive: true, force: true });
});

describe('local development issuer (real files)', () => {
  it('given first use, then a 0600 private key, a 0700 folder and a public-only JWKS are written', async () => {
    const files = await ensureLocalIssuerKeys(dir);
    expect((await stat(files.privateKeyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const jwks = JSON.parse(await readFile(files.jwksFile, 'utf8'));
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('given concurrent first uses, then they all end with one and the same key', async () => {
    await Promise.all(Array.from({ length: 5 }, () => ensureLocalIssuerKeys(dir)));
    const kids = await Promise.all(
      Array.from({ length: 3 }, async () => (await readLocalJwks(dir)).keys[0]?.kid),
    );
    expect(new Set(kids).size).toBe(1);
  });

  it('given a second use, then the key is kept (tokens signed before stay valid)', async () => {
    const before = (await readLocalJwks(dir)).keys[0]?.kid;
    await ensureLocalIssuerKeys(dir);
    expect((await readLocalJwks(dir)).keys[0]?.kid).toBe(before);
  });

  it('given a signed token, then it carries role, sub, jti, iss, aud, the kid, and verifies against the JWKS', async () => {
    const now = new Date('2026-06-01T08:00:00Z');
    const token = await signLocalToken({
      dir,
      role: 'auditor',
      sub: 'aud-1',
      ttlSeconds: 900,
      now: () => now,
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ role: 'auditor', sub: 'aud-1', iss: localIssuer, aud: triageApiAudience });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(typeof claims.jti).toBe('string');
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'ES256',
      kid: (await readLocalJwks(dir)).keys[0]?.kid,
    });
    const verify = await localIssuerVerifier(dir, () => now);
    await expect(verify(token)).resolves.toEqual({
      sub: 'aud-1',
      role: 'auditor',
      tokenId: claims.jti,
      issuedAt: claims.iat,
      expiresAt: claims.exp,
    });
  });
});
