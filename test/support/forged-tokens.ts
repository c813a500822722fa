// Bearer tokens an attacker could present to the triage API, made with node:crypto alone: signed by
// the local issuer's key but with a bad claim, signed by another key under the issuer's kid,
// unsigned (`alg: none`), or HMAC-signed with the issuer's public key as the secret.
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { localIssuer, localIssuerFiles, triageApiAudience } from '@triage/auth';

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

type Claims = Record<string, unknown>;

function encode(header: Claims, claims: Claims): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
}

function es256(key: KeyObject, header: Claims, claims: Claims): string {
  const input = encode(header, claims);
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url(signature)}`;
}

/** The forgeries, by name; each is a whole `Authorization` header value. */
export interface ForgedTokens {
  readonly [name: string]: string;
}

/** Every forged or broken token, against the local issuer whose keys are in `authDir`. */
export async function forgedTokens(authDir: string): Promise<ForgedTokens> {
  const files = localIssuerFiles(authDir);
  const jwk = JSON.parse(await readFile(files.privateKeyFile, 'utf8')) as { kid: string } & Record<
    string,
    unknown
  >;
  const issuerKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
  const publicPem = createPublicKey(issuerKey).export({ type: 'spki', format: 'pem' }).toString();
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'ES256', kid: jwk.kid, typ: 'JWT' };
  const good: Claims = {
    iss: localIssuer,
    aud: triageApiAudience,
    sub: 'supervisor-forged',
    role: 'supervisor',
    iat: now,
    exp: now + 600,
  };
  const signed = (claims: Claims) => `Bearer ${es256(issuerKey, header, claims)}`;
  const { privateKey: otherKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const hs256Input = encode({ alg: 'HS256', kid: jwk.kid, typ: 'JWT' }, good);
  const valid = es256(issuerKey, header, good);
  const [validHead, , validSignature] = valid.split('.');
  return {
    'garbage (not a JWT)': 'Bearer not-a-jwt',
    'Basic scheme': `Basic ${base64url('supervisor:password')}`,
    // An hour past `exp`: far beyond the clock tolerance.
    expired: signed({ ...good, iat: now - 7_200, exp: now - 3_600 }),
    'not yet valid (nbf in an hour)': signed({ ...good, nbf: now + 3_600 }),
    'wrong issuer': signed({ ...good, iss: 'https://idp.attacker.test/' }),
    'wrong audience': signed({ ...good, aud: 'another-api' }),
    'unknown role': signed({ ...good, role: 'admin' }),
    'no subject': signed({ ...good, sub: undefined }),
    'wrong signature (another key, the issuer kid)': `Bearer ${es256(otherKey, header, good)}`,
    // A valid supervisor token's head and signature around a payload that claims the auditor role.
    'payload swapped under a valid signature': `Bearer ${validHead}.${base64url(JSON.stringify({ ...good, role: 'auditor' }))}.${validSignature}`,
    'alg none': `Bearer ${encode({ alg: 'none', typ: 'JWT' }, good)}.`,
    'HS256 keyed with the public key (PEM)': `Bearer ${hs256Input}.${createHmac('sha256', publicPem).update(hs256Input).digest('base64url')}`,
  };
}
