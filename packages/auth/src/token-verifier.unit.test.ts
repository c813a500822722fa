import {
  errors,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, localKeySource, verificationError } from './token-verifier.ts';

const issuer = 'https://issuer.test';
const audience = 'triage-api';
const now = new Date('2026-06-01T12:00:00Z');
const epoch = Math.floor(now.getTime() / 1000);

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let trusted: KeyPair;
let stranger: KeyPair;
let rsa: KeyPair;
let jwks: JSONWebKeySet;

beforeAll(async () => {
  trusted = await generateKeyPair('ES256', { extractable: true });
  stranger = await generateKeyPair('ES256', { extractable: true });
  rsa = await generateKeyPair('RS256', { extractable: true });
  jwks = {
    keys: [
      { ...(await exportJWK(trusted.publicKey)), kid: 'trusted', alg: 'ES256' },
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256' },
    ],
  };
});

interface TokenShape {
  claims?: JWTPayload;
  key?: KeyPair;
  kid?: string;
  alg?: string;
  iss?: string;
  aud?: string;
  exp?: number;
  nbf?: number;
}

async function token(shape: TokenShape = {}): Promise<string> {
  const jwt = new SignJWT({ role: 'analyst', ...shape.claims })
    .setProtectedHeader({ alg: shape.alg ?? 'ES256', kid: shape.kid ?? 'trusted' })
    .setIssuer(shape.iss ?? issuer)
    .setAudience(shape.aud ?? audience)
    .setSubject('analyst-7')
    .setJti('token-1')
    .setIssuedAt(epoch - 60)
    .setExpirationTime(shape.exp ?? epoch + 600);
  if (shape.nbf !== undefined) jwt.setNotBefore(shape.nbf);
  return jwt.sign((shape.key ?? trusted).privateKey);
}

function verifier(algorithms: readonly string[] = ['ES256']) {
  return createTokenVerifier({
    keySource: localKeySource(jwks),
    issuer,
    audience,
    algorithms,
    clockToleranceSeconds: 30,
    roleClaim: 'role',
    now: () => now,
  });
}

async function refusalCode(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'accepted',
    (error: { code: string }) => error.code,
  );
}

describe('createTokenVerifier', () => {
  it('given a token from the issuer for the audience, then its principal', async () => {
    await expect(verifier()(await token())).resolves.toEqual({
      sub: 'analyst-7',
      role: 'analyst',
      tokenId: 'token-1',
      issuedAt: epoch - 60,
      expiresAt: epoch + 600,
    });
  });

  it('given a token expired within the clock tolerance, then it is still accepted', async () => {
    await expect(verifier()(await token({ exp: epoch - 20 }))).resolves.toMatchObject({ role: 'analyst' });
  });

  it.each<[string, () => Promise<string>]>([
    ['expired beyond the tolerance', () => token({ exp: epoch - 31 })],
    ['not yet valid', () => token({ nbf: epoch + 120 })],
    ['another issuer', () => token({ iss: 'https://elsewhere.test' })],
    ['another audience', () => token({ aud: 'intake' })],
    ['signed by a key not in the set', () => token({ key: stranger })],
    ['signed by an unknown key id', () => token({ kid: 'missing' })],
    ['an algorithm not allowed (RS256 key in the set)', () => token({ key: rsa, kid: 'rsa', alg: 'RS256' })],
    ['without a role', () => token({ claims: { role: undefined } })],
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ role: 'analyst', sub: 'x' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime(epoch + 600)
          .encode(),
    ],
    [
      'without an expiry',
      async () =>
        new SignJWT({ role: 'analyst' })
          .setProtectedHeader({ alg: 'ES256', kid: 'trusted' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setSubject('analyst-7')
          .sign(trusted.privateKey),
    ],
    ['not a JWT', async () => 'abc.def.ghi'],
  ])('given a token %s, then TRIAGE_TOKEN_INVALID', async (_case, make) => {
    expect(await refusalCode(verifier()(await make()))).toBe('TRIAGE_TOKEN_INVALID');
  });

  it('given a tampered payload, then TRIAGE_TOKEN_INVALID', async () => {
    const [header, , signature] = (await token()).split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'analyst-7', role: 'supervisor', iss: issuer, aud: audience, exp: epoch + 600 }),
    ).toString('base64url');
    expect(await refusalCode(verifier()(`${header}.${payload}.${signature}`))).toBe('TRIAGE_TOKEN_INVALID');
  });

  it('given RS256 allowed too, then the RS256 token is accepted', async () => {
    const rsaToken = await token({ key: rsa, kid: 'rsa', alg: 'RS256' });
    await expect(verifier(['ES256', 'RS256'])(rsaToken)).resolves.toMatchObject({ sub: 'analyst-7' });
  });
});

describe('verificationError', () => {
  it('given an expired token, then TRIAGE_TOKEN_INVALID saying so, with an invalid_token challenge', () => {
    const error = verificationError(new errors.JWTExpired('exp', {}));
    expect(error.code).toBe('TRIAGE_TOKEN_INVALID');
    expect(error.message).toContain('expired');
    expect(error.details?.bearerError).toBe('invalid_token');
  });

  it.each([
    ['a JWKS timeout', new errors.JWKSTimeout()],
    ['a malformed JWKS', new errors.JWKSInvalid()],
    [
      'a non-200 JWKS answer',
      new errors.JOSEError('Expected 200 OK from the JSON Web Key Set HTTP response'),
    ],
    ['a refused connection', new TypeError('fetch failed')],
  ])('given %s, then TRIAGE_AUTH_KEYS_UNAVAILABLE (503, retryable)', (_case, cause) => {
    const error = verificationError(cause);
    expect(error.code).toBe('TRIAGE_AUTH_KEYS_UNAVAILABLE');
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
  });

  it('given a token signed with no matching key, then TRIAGE_TOKEN_INVALID, not the key set', () => {
    expect(verificationError(new errors.JWKSNoMatchingKey()).code).toBe('TRIAGE_TOKEN_INVALID');
  });
});
