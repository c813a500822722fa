// The local development issuer: an ES256 key pair on disk that `pnpm triage token` signs with
// and the triage API trusts when no production JWKS URL is configured. Never for production.
import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  SignJWT,
} from 'jose';
import type { TokenRequest } from './token-request.ts';

/** `iss` of development tokens: a URN, so no production configuration can mistake it for its issuer. */
export const localIssuer = 'urn:triage:local-dev-issuer';
/** Default `aud` of tokens for the triage API. */
export const triageApiAudience = 'triage-api';
/** Where the local issuer's keys live unless `TRIAGE_AUTH_LOCAL_DIR` says otherwise (git-ignored). */
export const defaultLocalIssuerDir = '.stack/auth';
/** The one algorithm the local issuer signs with. */
export const localAlgorithm = 'ES256';

export interface LocalIssuerFiles {
  /** Private signing key (JWK, mode 0600). */
  privateKeyFile: string;
  /** Public key set (JWKS) the API reads or an HTTP server can serve. */
  jwksFile: string;
}

export function localIssuerFiles(dir: string): LocalIssuerFiles {
  return { privateKeyFile: path.join(dir, 'issuer-private.jwk.json'), jwksFile: path.join(dir, 'jwks.json') };
}

/** The public half of a private JWK, as a key set entry. */
function publicJwk(privateJwk: JWK): JWK {
  const { d: _d, ...rest } = privateJwk;
  return { ...rest, key_ops: ['verify'] };
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes `text` to a fresh file that appears at `file` only when complete, never replacing one. */
async function createExclusive(file: string, text: string): Promise<boolean> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * Creates the key pair in `dir` on first use (the private key 0600, the folder 0700) and
 * (re)writes the JWKS from it; concurrent first uses agree on one key. Returns the files.
 */
export async function ensureLocalIssuerKeys(dir: string): Promise<LocalIssuerFiles> {
  const files = localIssuerFiles(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let privateJwk = await readJson<JWK>(files.privateKeyFile);
  if (privateJwk === undefined) {
    const { privateKey } = await generateKeyPair(localAlgorithm, { extractable: true });
    const jwk = await exportJWK(privateKey);
    const candidate: JWK = {
      ...jwk,
      kid: await calculateJwkThumbprint(jwk),
      alg: localAlgorithm,
      use: 'sig',
    };
    await createExclusive(files.privateKeyFile, `${JSON.stringify(candidate, null, 2)}\n`);
    // Whoever won the race, everyone uses the key that is on disk now.
    privateJwk = (await readJson<JWK>(files.privateKeyFile))!;
  }
  // A key file copied in with looser permissions is tightened, not trusted as it is.
  await chmod(files.privateKeyFile, 0o600);
  const jwks: JSONWebKeySet = { keys: [publicJwk(privateJwk)] };
  const temporary = `${files.jwksFile}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(jwks, null, 2)}\n`, { mode: 0o644 });
  await rename(temporary, files.jwksFile);
  return files;
}

/** The local issuer's public key set, creating the key pair on first use. */
export async function readLocalJwks(dir: string): Promise<JSONWebKeySet> {
  const files = await ensureLocalIssuerKeys(dir);
  return JSON.parse(await readFile(files.jwksFile, 'utf8')) as JSONWebKeySet;
}

export interface SignLocalTokenOptions extends TokenRequest {
  /** Folder of the local issuer's keys. */
  dir: string;
  /** Default: the triage API's audience. */
  audience?: string;
  /** Default: the system clock. */
  now?: () => Date;
}

/** A token from the local development issuer: `sub`, `role`, a random `jti`, `iat`, `exp`. */
export async function signLocalToken(options: SignLocalTokenOptions): Promise<string> {
  const files = await ensureLocalIssuerKeys(options.dir);
  const privateJwk = JSON.parse(await readFile(files.privateKeyFile, 'utf8')) as JWK;
  const key = await importJWK(privateJwk, localAlgorithm);
  const issuedAt = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  return new SignJWT({ role: options.role })
    .setProtectedHeader({ alg: localAlgorithm, kid: privateJwk.kid!, typ: 'JWT' })
    .setIssuer(localIssuer)
    .setAudience(options.audience ?? triageApiAudience)
    .setSubject(options.sub)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds)
    .sign(key);
}
