import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { problemHandling } from '@triage/http-problems';
import Fastify, { type FastifyInstance } from 'fastify';
import { generateKeyPair, importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authentication, publicAccess, requireRoles } from './auth-plugin.ts';
import {
  localIssuer,
  localIssuerFiles,
  readLocalJwks,
  signLocalToken,
  triageApiAudience,
} from './local-issuer.ts';
import type { UserRole } from './roles.ts';
import { type JwksServer, serveJwks } from './testing/jwks-server.ts';
import { createTokenVerifier, remoteKeySource } from './token-verifier.ts';

let dir: string;
let jwksServer: JwksServer;

/** An app whose keys come from the real JWKS endpoint at `url` (the production path). */
async function appWithKeysAt(url: URL): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(problemHandling, { realm: 'triage' });
  await app.register(authentication, {
    securityScheme: 'bearerAuth',
    verifyToken: createTokenVerifier({
      keySource: remoteKeySource({ url, timeoutMs: 2_000, cacheMaxAgeMs: 60_000 }),
      issuer: localIssuer,
      audience: triageApiAudience,
      algorithms: ['ES256'],
      clockToleranceSeconds: 5,
      roleClaim: 'role',
    }),
  });
  app.get('/open', { config: { access: publicAccess } }, async (request) => ({
    principal: request.principal,
  }));
  app.get('/v1/queue', { config: { access: requireRoles('analyst', 'supervisor') } }, async (request) => ({
    principal: request.principal,
  }));
  app.post('/v1/audit', { config: { access: requireRoles('auditor') } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

let app: FastifyInstance;

const token = (role: UserRole, ttlSeconds = 300) =>
  signLocalToken({ dir, role, sub: `${role}-1`, ttlSeconds });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'auth-plugin-'));
  jwksServer = await serveJwks(await readLocalJwks(dir));
  app = await appWithKeysAt(jwksServer.url);
});
afterAll(async () => {
  await app?.close();
  await jwksServer?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('authentication plugin (Fastify inject, JWKS over HTTP on 127.0.0.1)', () => {
  it('given an allowed role, then 200 and the principal is on the request', async () => {
    const bearer = await token('analyst');
    const response = await app.inject({ url: '/v1/queue', headers: { authorization: `Bearer ${bearer}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json().principal).toMatchObject({ sub: 'analyst-1', role: 'analyst' });
    expect(response.json().principal.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(jwksServer.fetches()).toBeGreaterThanOrEqual(1);
  });

  it('given a public route, then 200 without a token and no principal', async () => {
    const response = await app.inject({ url: '/open' });
    expect(response.statusCode).toBe(200);
    expect(response.json().principal).toBeNull();
  });

  it('given no token, then 401 TRIAGE_TOKEN_MISSING with a bare Bearer challenge', async () => {
    const response = await app.inject({ url: '/v1/queue' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="triage"');
    expect(response.json()).toMatchObject({
      code: 'TRIAGE_TOKEN_MISSING',
      status: 401,
      instance: '/v1/queue',
    });
  });

  it('given HEAD on a protected GET route without a token, then 401 too', async () => {
    expect((await app.inject({ method: 'HEAD', url: '/v1/queue' })).statusCode).toBe(401);
  });

  const badTokens: [string, () => Promise<string>][] = [
    ['garbage', async () => 'not-a-token'],
    [
      'expired',
      async () =>
        signLocalToken({
          dir,
          role: 'analyst',
          sub: 'a',
          ttlSeconds: 60,
          now: () => new Date(Date.now() - 3_600_000),
        }),
    ],
    [
      'wrong audience',
      async () => signLocalToken({ dir, role: 'analyst', sub: 'a', ttlSeconds: 60, audience: 'intake' }),
    ],
    [
      'wrong issuer (signed with the trusted key)',
      async () => {
        const privateJwk = JSON.parse(await readFile(localIssuerFiles(dir).privateKeyFile, 'utf8'));
        return new SignJWT({ role: 'analyst' })
          .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
          .setIssuer('https://elsewhere.test')
          .setAudience(triageApiAudience)
          .setSubject('a')
          .setExpirationTime('5m')
          .sign(await importJWK(privateJwk, 'ES256'));
      },
    ],
    [
      'foreign key with the trusted kid',
      async () =>
        new SignJWT({ role: 'analyst' })
          .setProtectedHeader({ alg: 'ES256', kid: (await readLocalJwks(dir)).keys[0]!.kid! })
          .setIssuer(localIssuer)
          .setAudience(triageApiAudience)
          .setSubject('a')
          .setExpirationTime('5m')
          .sign((await generateKeyPair('ES256')).privateKey),
    ],
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ role: 'supervisor' })
          .setIssuer(localIssuer)
          .setAudience(triageApiAudience)
          .setSubject('a')
          .setExpirationTime('5m')
          .encode(),
    ],
  ];

  it.each(badTokens)(
    'given a %s token, then 401 TRIAGE_TOKEN_INVALID with error="invalid_token"',
    async (_case, make) => {
      const response = await app.inject({
        url: '/v1/queue',
        headers: { authorization: `Bearer ${await make()}` },
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="triage", error="invalid_token"');
      expect(response.json()).toMatchObject({ code: 'TRIAGE_TOKEN_INVALID', status: 401 });
      expect(response.body).not.toContain('at ');
    },
  );

  it('given a valid token with the wrong role, then 403 TRIAGE_ROLE_FORBIDDEN before the body is read', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/audit',
      headers: { authorization: `Bearer ${await token('analyst')}`, 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.json()).toMatchObject({ code: 'TRIAGE_ROLE_FORBIDDEN', status: 403 });
  });

  it('given a key set endpoint that is down, then 503 TRIAGE_AUTH_KEYS_UNAVAILABLE with Retry-After', async () => {
    const gone = await serveJwks({ keys: [] });
    const url = gone.url;
    await gone.close();
    const offline = await appWithKeysAt(url);
    try {
      const response = await offline.inject({
        url: '/v1/queue',
        headers: { authorization: `Bearer ${await token('analyst')}` },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toMatchObject({ code: 'TRIAGE_AUTH_KEYS_UNAVAILABLE' });
    } finally {
      await offline.close();
    }
  });

  it('given a route that declares no access, then the app refuses to start', async () => {
    const bare = Fastify({ logger: false });
    await bare.register(authentication, {
      securityScheme: 'bearerAuth',
      verifyToken: async () => {
        throw new Error('unused');
      },
    });
    expect(() => bare.get('/v1/forgotten', async () => ({}))).toThrow(/declares no access/);
    await bare.close();
  });

  it('given route groups as encapsulated plugins with a prefix, then their routes are checked and protected too', async () => {
    const grouped = Fastify({ logger: false });
    await grouped.register(problemHandling, { realm: 'triage' });
    await grouped.register(authentication, {
      securityScheme: 'bearerAuth',
      verifyToken: async () => {
        throw new Error('unused');
      },
    });
    let refusal: unknown;
    await grouped.register(
      async (group) => {
        group.get('/cases', { config: { access: requireRoles('analyst') } }, async () => ({ ok: true }));
        try {
          group.get('/forgotten', async () => ({}));
        } catch (error) {
          refusal = error;
        }
      },
      { prefix: '/v1' },
    );
    await grouped.ready();
    expect(String(refusal)).toMatch(/GET \/v1\/forgotten declares no access/);
    expect((await grouped.inject({ url: '/v1/cases' })).statusCode).toBe(401);
    expect(grouped.routeAccess().map((entry) => `${entry.method} ${entry.url}`)).toContain('GET /v1/cases');
    await grouped.close();
  });

  it('given the routes, then routeAccess lists each with its access (HEAD included)', () => {
    expect(app.routeAccess()).toEqual(
      expect.arrayContaining([
        { method: 'GET', url: '/v1/queue', access: { roles: ['analyst', 'supervisor'] } },
        { method: 'HEAD', url: '/v1/queue', access: { roles: ['analyst', 'supervisor'] } },
        { method: 'POST', url: '/v1/audit', access: { roles: ['auditor'] } },
        { method: 'GET', url: '/open', access: { public: true } },
      ]),
    );
  });
});
