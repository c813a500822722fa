// The console's sign-in at an OpenID Connect provider, end to end over real HTTP on 127.0.0.1:
// a fake provider (discovery, JWKS, authorize, token with a PKCE check) and the API as main.ts
// builds it from its configuration, listening. The browser's part is played with fetch and
// `redirect: 'manual'`: start -> the provider's authorize -> the API's callback -> /login#token=...

import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { triageApiAudience } from '@triage/auth';
import type { Env } from '@triage/config';
import { createLogger } from '@triage/logging';
import { createSearchClient, indexPrefix, type SearchClient } from '@triage/search';
import { elasticsearchUrl } from '@triage/search/testing/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIdentityProvider, startFakeIdentityProvider } from './testing/fake-identity-provider.ts';
import { localApp } from './testing/local-app.ts';
import { memoryRecorder } from './testing/read-fixtures.ts';

const logger = createLogger({ name: 'triage-api-oidc-test', level: 'silent' });
const clientId = 'triage-console';
const clientSecret = 'fake-client-secret';
/** A namespaced role claim, as identity providers put custom claims. */
const roleClaim = 'https://triage.example/role';

let dir: string;
let client: SearchClient;
let idp: FakeIdentityProvider;

/** A port free right now, for an API whose redirect URL must be configured before it listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The API, configured from `env`, listening on `port`; closed by the caller. */
async function apiOn(port: number, env: Env) {
  const app = await localApp({
    dir,
    search: { client, prefix: indexPrefix(`oidc${process.pid}.`) },
    trail: memoryRecorder(),
    logger,
    env,
  });
  await app.listen({ port, host: '127.0.0.1' });
  return app;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'triage-api-oidc-'));
  client = createSearchClient({ url: elasticsearchUrl });
  idp = await startFakeIdentityProvider({ clientId, clientSecret, audience: triageApiAudience });
});
afterAll(async () => {
  await idp?.close();
  await client?.close();
  await rm(dir, { recursive: true, force: true });
});

const manual = (url: string | URL) => fetch(url, { redirect: 'manual' });
/** The body of a problem answer. */
const problemOf = async (answer: Response) =>
  (await answer.json()) as { code: string; status: number; detail: string };

describe('the OIDC sign-in, configured', () => {
  let api: Awaited<ReturnType<typeof apiOn>>;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await apiOn(port, {
      TRIAGE_API_JWKS_URL: idp.jwksUrl,
      TRIAGE_API_TOKEN_ISSUER: idp.issuer,
      TRIAGE_API_TOKEN_ROLE_CLAIM: roleClaim,
      TRIAGE_API_OIDC_ISSUER: idp.issuer,
      TRIAGE_API_OIDC_CLIENT_ID: clientId,
      TRIAGE_API_OIDC_CLIENT_SECRET: clientSecret,
      TRIAGE_API_OIDC_REDIRECT_URL: `${base}/v1/auth/oidc/callback`,
      TRIAGE_API_OIDC_SCOPES: 'openid profile',
      TRIAGE_API_OIDC_PROVIDER_NAME: 'Fake IdP',
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  /** start -> the provider's authorize: the URL the provider sends the browser back to. */
  async function throughProvider(): Promise<URL> {
    const start = await manual(`${base}/v1/auth/oidc/start`);
    expect(start.status).toBe(302);
    const authorize = await manual(start.headers.get('location')!);
    expect(authorize.status).toBe(302);
    return new URL(authorize.headers.get('location')!);
  }

  it('given the console asking how to sign in, then the provider by name and no development login', async () => {
    const answer = await fetch(`${base}/v1/auth/config`);
    expect(await problemOf(answer)).toEqual({ devLogin: false, oidc: true, oidcProvider: 'Fake IdP' });
  });

  it('given start, then a 302 to the authorize endpoint with the client, scopes, state and an S256 challenge, never cached', async () => {
    const start = await manual(`${base}/v1/auth/oidc/start`);
    expect(start.status).toBe(302);
    expect(start.headers.get('cache-control')).toBe('no-store');
    const location = new URL(start.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${idp.issuer}/authorize`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: `${base}/v1/auth/oidc/callback`,
      scope: 'openid profile',
      state: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
    });
  });

  it('given the full flow, then /login#token=... with a token that works on /v1/me, the role from the configured claim', async () => {
    idp.signIn({ sub: 'supervisor-7', claims: { [roleClaim]: 'supervisor' } });
    const back = await throughProvider();
    expect(`${back.origin}${back.pathname}`).toBe(`${base}/v1/auth/oidc/callback`);
    const callback = await manual(back);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('cache-control')).toBe('no-store');
    expect(callback.headers.get('referrer-policy')).toBe('no-referrer');
    const location = callback.headers.get('location')!;
    expect(location).toMatch(/^\/login#token=eyJ/);
    const token = new URLSearchParams(location.split('#')[1]).get('token')!;

    const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ sub: 'supervisor-7', role: 'supervisor' });

    // The same callback again (a replay): its state was used up.
    const replay = await manual(back);
    expect(replay.status).toBe(400);
    expect((await problemOf(replay)).code).toBe('TRIAGE_OIDC_STATE_INVALID');
  });

  it('given a callback whose state this API never issued, then 400 TRIAGE_OIDC_STATE_INVALID and no code exchanged', async () => {
    const back = await throughProvider();
    const before = { ...idp.tokenRequests, refused: idp.tokenRequests.refused.length };
    back.searchParams.set('state', 'forged-state');
    const answer = await manual(back);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(await problemOf(answer)).toMatchObject({ code: 'TRIAGE_OIDC_STATE_INVALID', status: 400 });
    expect(idp.tokenRequests.ok).toBe(before.ok);
    expect(idp.tokenRequests.refused.length).toBe(before.refused);
  });

  it("given another sign-in's code with this sign-in's state (code injection), then the provider refuses the verifier: 401 TRIAGE_OIDC_LOGIN_REFUSED", async () => {
    idp.signIn({ sub: 'analyst-2', claims: { [roleClaim]: 'analyst' } });
    const victim = await throughProvider();
    const attacker = await throughProvider();
    const injected = new URL(victim);
    injected.searchParams.set('code', attacker.searchParams.get('code')!);
    const answer = await manual(injected);
    expect(answer.status).toBe(401);
    expect(await problemOf(answer)).toMatchObject({ code: 'TRIAGE_OIDC_LOGIN_REFUSED' });
    expect(idp.tokenRequests.refused.at(-1)).toBe('code_verifier');
  });

  it('given the provider answering an error (the user declined), then 401 TRIAGE_OIDC_LOGIN_REFUSED', async () => {
    const back = await throughProvider();
    back.searchParams.delete('code');
    back.searchParams.set('error', 'access_denied');
    const answer = await manual(back);
    expect(answer.status).toBe(401);
    expect((await problemOf(answer)).detail).toContain('access_denied');
  });

  it('given a provider token without a known role, then 401 TRIAGE_TOKEN_INVALID and no token handed out', async () => {
    idp.signIn({ sub: 'someone-1', claims: { [roleClaim]: 'administrator' } });
    const answer = await manual(await throughProvider());
    expect(answer.status).toBe(401);
    expect(answer.headers.get('location')).toBeNull();
    expect((await problemOf(answer)).code).toBe('TRIAGE_TOKEN_INVALID');
  });
});

describe('the OIDC sign-in, not configured', () => {
  let api: Awaited<ReturnType<typeof apiOn>>;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await apiOn(port, {});
  });
  afterAll(async () => {
    await api?.close();
  });

  it('given the console asking how to sign in, then the development login only', async () => {
    expect(await (await fetch(`${base}/v1/auth/config`)).json()).toEqual({ devLogin: true, oidc: false });
  });

  it.each(['/v1/auth/oidc/start', '/v1/auth/oidc/callback?code=x&state=y'])(
    'given %s, then 404',
    async (route) => {
      const answer = await manual(`${base}${route}`);
      expect(answer.status).toBe(404);
      expect((await problemOf(answer)).code).toBe('TRIAGE_ROUTE_NOT_FOUND');
    },
  );
});

describe('the OIDC sign-in, the provider down', () => {
  let api: Awaited<ReturnType<typeof apiOn>>;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Nothing listens on this port: the discovery document cannot be read.
    const gone = `http://127.0.0.1:${await freePort()}`;
    api = await apiOn(port, {
      TRIAGE_API_JWKS_URL: `${gone}/jwks`,
      TRIAGE_API_TOKEN_ISSUER: gone,
      TRIAGE_API_OIDC_ISSUER: gone,
      TRIAGE_API_OIDC_CLIENT_ID: clientId,
      TRIAGE_API_OIDC_REDIRECT_URL: `${base}/v1/auth/oidc/callback`,
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('given start, then 502 TRIAGE_OIDC_PROVIDER_UNAVAILABLE, retryable, and no redirect', async () => {
    const answer = await manual(`${base}/v1/auth/oidc/start`);
    expect(answer.status).toBe(502);
    expect(answer.headers.get('location')).toBeNull();
    expect(await problemOf(answer)).toMatchObject({ code: 'TRIAGE_OIDC_PROVIDER_UNAVAILABLE' });
  });
});
