// The development login on the app as main.ts builds it: a token signed by the local issuer in a
// temp folder works on the analysts' routes (the real Elasticsearch under this file's prefix);
// with a production JWKS URL, or turned off, the route does not exist.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Env } from '@triage/config';
import { createLogger } from '@triage/logging';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devTokenTtlSeconds } from './routes/dev-login-routes.ts';
import { localApp, type TestIndices, testIndices } from './testing/local-app.ts';
import { memoryRecorder } from './testing/read-fixtures.ts';

let dir: string;
let indices: TestIndices;
/** Every log line the apps wrote. */
const logLines: string[] = [];
const logger = createLogger({
  name: 'triage-api-dev-login-test',
  level: 'info',
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  }),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'triage-api-dev-login-'));
  indices = await testIndices('dl');
});
afterAll(async () => {
  await indices?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** The app main.ts builds from `env` (the local issuer's keys in this file's folder). */
const appFor = (env: Env) => localApp({ dir, search: indices, trail: memoryRecorder(), logger, env });

const login = (payload: object) => ({ method: 'POST' as const, url: '/v1/dev/token', payload });

describe('POST /v1/dev/token with the local development issuer', () => {
  let app: Awaited<ReturnType<typeof appFor>>;
  beforeAll(async () => {
    app = await appFor({});
  });
  afterAll(async () => {
    await app?.close();
  });

  it('given a role and a subject, then an 8 h token that works on the queue for an analyst, logged without the token', async () => {
    const before = Date.now();
    const response = await app.inject(login({ role: 'analyst', sub: 'analyst-9' }));
    expect(response.statusCode).toBe(200);
    const { token, expiresAt } = response.json();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'analyst-9', role: 'analyst' });
    expect(claims.exp! - claims.iat!).toBe(devTokenTtlSeconds);
    expect(expiresAt).toBe(claims.exp! * 1000);
    expect(expiresAt).toBeGreaterThanOrEqual(before + devTokenTtlSeconds * 1000 - 1000);

    const queue = await app.inject({ url: '/v1/cases', headers: { authorization: `Bearer ${token}` } });
    expect(queue.statusCode).toBe(200);
    expect(queue.json()).toMatchObject({ items: [], total: 0 });

    const issued = logLines.filter((line) => line.includes('development login: issued'));
    expect(issued.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ role: 'analyst', sub: 'analyst-9', level: 40 }),
    ]);
    expect(logLines.some((line) => line.includes(token))).toBe(false);
    expect(logLines.some((line) => line.includes(token.split('.')[2]!))).toBe(false);
  });

  it('given a supervisor token from the login, then the role the token carries is the one asked for', async () => {
    const { token } = (await app.inject(login({ role: 'supervisor', sub: 'sup.1' }))).json();
    const me = await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ sub: 'sup.1', role: 'supervisor' });
  });

  it.each<[string, object, string]>([
    ['an unknown role', { role: 'root', sub: 'analyst-1' }, '/body/role'],
    ['a subject with spaces', { role: 'analyst', sub: 'Jane Doe' }, '/body/sub'],
    ['an e-mail address as subject', { role: 'analyst', sub: 'jane@example.test' }, '/body/sub'],
    ['a subject of 65 characters', { role: 'analyst', sub: 'a'.repeat(65) }, '/body/sub'],
    ['no subject', { role: 'analyst' }, '/body/sub'],
  ])('given %s, then 400 TRIAGE_REQUEST_INVALID and no token', async (_name, payload, pointer) => {
    const response = await app.inject(login(payload));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'TRIAGE_REQUEST_INVALID' });
    expect(response.json().pointer).toBe(pointer);
    expect(response.body).not.toMatch(/eyJ/);
  });

  it('given a lifetime asked for, then it is ignored: the token lives 8 h', async () => {
    const response = await app.inject(login({ role: 'analyst', sub: 'analyst-1', ttlSeconds: 86_400 * 30 }));
    const claims = decodeJwt(response.json().token);
    expect(claims.exp! - claims.iat!).toBe(devTokenTtlSeconds);
  });
});

describe('POST /v1/dev/token where there is no development login', () => {
  it.each<[string, Env]>([
    [
      'a production JWKS URL',
      {
        TRIAGE_API_JWKS_URL: 'https://idp.example.test/jwks',
        TRIAGE_API_TOKEN_ISSUER: 'https://idp.example.test/',
      },
    ],
    ['the local issuer with TRIAGE_API_DEV_LOGIN=false', { TRIAGE_API_DEV_LOGIN: 'false' }],
  ])('given %s, then 404 TRIAGE_ROUTE_NOT_FOUND', async (_name, env) => {
    const app = await appFor(env);
    try {
      const response = await app.inject(login({ role: 'analyst', sub: 'analyst-1' }));
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('TRIAGE_ROUTE_NOT_FOUND');
      expect(app.routeAccess().some((entry) => entry.url === '/v1/dev/token')).toBe(false);
    } finally {
      await app.close();
    }
  });
});
