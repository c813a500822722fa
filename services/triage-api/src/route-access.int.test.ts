// The role x route table: every registered /v1 route is listed here with the roles it allows,
// and each is exercised without a token (401), with every other role (403) and with every
// allowed role (its success status). A route added without a row, or with other roles than its
// row says, fails the first test. Runs against the app as main.ts builds it (local keys on disk)
// and against a JWKS served over HTTP on 127.0.0.1 (the production key path).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  localIssuerFiles,
  readLocalJwks,
  requireRoles,
  signLocalToken,
  type UserRole,
  userRoles,
} from '@triage/auth';
import { serveJwks } from '@triage/auth/testing';
import { ContentStore } from '@triage/content-store';
import { createLogger } from '@triage/logging';
import { recordExamples } from '@triage/schemas';
import { createSearchClient, indexPrefix, type SearchClient } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import type { InjectOptions } from 'fastify';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { createTriageApiAuth } from './auth-deps.ts';
import { loadTriageApiConfig } from './config.ts';
import { memoryActionLog } from './testing/action-fixtures.ts';
import { itemCarrying, sha256Of } from './testing/media-fixtures.ts';
import { type MemoryRecorder, memoryRecorder, seedCases } from './testing/read-fixtures.ts';

type TriageApp = Awaited<ReturnType<typeof buildApp>>;

/** One protected route: as registered, who may call it, and a request that succeeds for them. */
interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as registered, e.g. `/v1/cases/:reportId`. */
  url: string;
  roles: readonly UserRole[];
  /** A concrete request (path parameters filled in, a valid body) for the allowed roles. */
  request: Omit<InjectOptions, 'method' | 'headers'> & { url: string };
  /** The status an allowed role gets for `request` (default 200). */
  okStatus?: number;
}

const exampleCase = recordExamples.Case;
/** A stored file the example case carries, viewed by its reporting company (a non-image: its placeholder). */
const mediaFile = Buffer.from('synthetic media bytes for the role table');
const mediaSha256 = sha256Of(mediaFile);

/** Every /v1 route of the triage API. The next routes (actions, hashes) add rows here. */
const v1Routes: readonly RouteCase[] = [
  {
    method: 'GET',
    url: '/v1/cases',
    roles: ['analyst', 'supervisor'],
    request: { url: '/v1/cases?tier=P1' },
  },
  {
    method: 'GET',
    url: '/v1/cases/:reportId',
    roles: ['analyst', 'supervisor'],
    request: { url: `/v1/cases/${encodeURIComponent(exampleCase.reportId)}` },
  },
  { method: 'GET', url: '/v1/audit', roles: ['auditor'], request: { url: '/v1/audit?action=search' } },
  {
    method: 'GET',
    url: '/v1/media/:sha256/preview',
    roles: ['analyst', 'supervisor'],
    request: { url: `/v1/media/${mediaSha256}/preview` },
  },
  {
    method: 'POST',
    url: '/v1/media/:sha256/reveal',
    roles: ['analyst', 'supervisor'],
    request: {
      url: `/v1/media/${mediaSha256}/reveal`,
      payload: { reportId: exampleCase.reportId, reason: 'role table' },
    },
  },
  {
    method: 'GET',
    url: '/v1/hashes/:value',
    roles: ['analyst', 'supervisor'],
    request: { url: `/v1/hashes/${recordExamples.EnrichedItem.hashes?.md5}` },
  },
  {
    method: 'POST',
    url: '/v1/cases/:reportId/actions',
    roles: ['analyst', 'supervisor'],
    request: {
      url: `/v1/cases/${encodeURIComponent(exampleCase.reportId)}/actions`,
      payload: { type: 'claim' },
    },
    okStatus: 202,
  },
  { method: 'GET', url: '/v1/exposure/me', roles: userRoles, request: { url: '/v1/exposure/me' } },
  {
    method: 'GET',
    url: '/v1/exposure/analysts',
    roles: ['supervisor'],
    request: { url: '/v1/exposure/analysts' },
  },
  { method: 'GET', url: '/v1/me', roles: userRoles, request: { url: '/v1/me' } },
  { method: 'GET', url: '/v1/audit/chain', roles: ['auditor'], request: { url: '/v1/audit/chain' } },
  // No takedown event here: an empty ranking, and no hoster (404 once the role is let through).
  { method: 'GET', url: '/v1/hosters', roles: ['supervisor', 'auditor'], request: { url: '/v1/hosters' } },
  {
    method: 'GET',
    url: '/v1/hosters/:asn',
    roles: ['supervisor', 'auditor'],
    request: { url: '/v1/hosters/60781' },
    okStatus: 404,
  },
  {
    method: 'GET',
    url: '/v1/hosters/:asn/evidence',
    roles: ['supervisor', 'auditor'],
    request: { url: '/v1/hosters/60781/evidence' },
    okStatus: 404,
  },
];

/**
 * Routes anyone may call: probes, the API description, which sign-ins are on, with the local
 * development issuer only the development login (with an OIDC provider: its start and callback), and the web console (its shell and assets:
 * the login page loads without a token; everything it shows comes from the /v1 routes above).
 * Everything else needs a token.
 */
const publicRoutes = [
  'GET /',
  'GET /assets/:name',
  'GET /audit',
  'GET /cases/*',
  'GET /hashes',
  'GET /healthz',
  'GET /hosters',
  'GET /hosters/*',
  'GET /login',
  'GET /openapi.json',
  'GET /readyz',
  'GET /v1/auth/config',
  'POST /v1/dev/token',
];

const logger = createLogger({ name: 'triage-api-test', level: 'silent' });
let dir: string;
let client: SearchClient;
/** This file's own indices, holding the example case. */
const prefix = indexPrefix(`ra${process.pid}x${Date.now().toString(36)}.`);
const trail: MemoryRecorder = memoryRecorder();
let store: ContentStore;
const actionLog = memoryActionLog();
const mediaLimits = {
  maxBytes: 1_000_000,
  maxPixels: 1_000_000,
  concurrency: 2,
  timeoutSeconds: 5,
  revealMaxSide: 512,
};
/** A console bundle as `pnpm console:build` writes it (its routes are in the public list). */
const consoleBundle = {
  shell: Buffer.from('<!doctype html><title>console</title>'),
  assets: new Map([
    ['main-TEST.js', { body: Buffer.from(''), contentType: 'text/javascript; charset=utf-8' }],
  ]),
};
const readDeps = () => ({
  console: consoleBundle,
  trail,
  search: { client, prefix },
  media: { store, limits: mediaLimits },
  kafkaReady: async () => true,
  actions: actionLog.log,
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'triage-api-access-'));
  client = createSearchClient({ url: elasticsearchUrl });
  store = new ContentStore({ root: path.join(dir, 'content') });
  await store.put(Readable.from([mediaFile]));
  await seedCases(client, prefix, [
    {
      reportId: exampleCase.reportId,
      case: exampleCase,
      items: [itemCarrying(exampleCase.reportId, mediaSha256, true)],
    },
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await deletePrefixedIndices(client, prefix);
  await client.close();
});

const bearer = async (role: UserRole) =>
  `Bearer ${await signLocalToken({ dir, role, sub: `${role}-1`, ttlSeconds: 300 })}`;

/** The registered routes (HEAD twins of GET routes left out) and their access, as `METHOD url`. */
function registered(app: TriageApp) {
  return app.routeAccess().filter((entry) => entry.method !== 'HEAD');
}

/** Walks `table` against `app`: the declarations match, then 401 / 403 / success per role. */
function describeRouteTable(name: string, appFor: () => TriageApp, table: readonly RouteCase[]) {
  describe(name, () => {
    it('given the registered routes, then the protected ones are exactly the table and the rest are the public list', () => {
      const app = appFor();
      const protectedRoutes = registered(app)
        .filter((entry) => !('public' in entry.access))
        .map((entry) => ({ route: `${entry.method} ${entry.url}`, access: entry.access }));
      const expected = table.map((row) => ({
        route: `${row.method} ${row.url}`,
        access: requireRoles(...row.roles),
      }));
      expect(protectedRoutes.sort((a, b) => a.route.localeCompare(b.route))).toEqual(
        expected.sort((a, b) => a.route.localeCompare(b.route)),
      );
      const others = registered(app).filter((entry) => 'public' in entry.access);
      expect(others.map((entry) => `${entry.method} ${entry.url}`).sort()).toEqual(publicRoutes);
    });

    for (const row of table) {
      const label = `${row.method} ${row.url}`;
      it(`given ${label} without a token, then 401 TRIAGE_TOKEN_MISSING with a Bearer challenge`, async () => {
        const response = await appFor().inject({ ...row.request, method: row.method });
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="triage"/);
        expect(response.json().code).toBe('TRIAGE_TOKEN_MISSING');
      });
      for (const role of userRoles) {
        const allowed = row.roles.includes(role);
        it(`given ${label} as ${role}, then ${allowed ? (row.okStatus ?? 200) : '403 TRIAGE_ROLE_FORBIDDEN'}`, async () => {
          const response = await appFor().inject({
            ...row.request,
            method: row.method,
            headers: { authorization: await bearer(role) },
          });
          if (allowed) {
            expect(response.statusCode).toBe(row.okStatus ?? 200);
          } else {
            expect(response.statusCode).toBe(403);
            expect(response.json().code).toBe('TRIAGE_ROLE_FORBIDDEN');
          }
        });
      }
    }
  });
}

describe('triage API, local development issuer (as main.ts builds it)', () => {
  let app: TriageApp;
  beforeAll(async () => {
    const config = loadTriageApiConfig({ TRIAGE_AUTH_LOCAL_DIR: dir });
    app = await buildApp({ logger, ...(await createTriageApiAuth(config, logger)), ...readDeps() });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  describeRouteTable('role x route table', () => app, v1Routes);

  it('given any answer, then it carries its request id, the one its audit event and problem name', async () => {
    const before = trail.events.length;
    const read = await app.inject({ url: '/v1/cases', headers: { authorization: await bearer('analyst') } });
    expect(read.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(trail.events.slice(before)).toEqual([
      expect.objectContaining({ requestId: read.headers['x-request-id'] }),
    ]);
    const refused = await app.inject({ url: '/v1/cases' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().requestId).toBe(refused.headers['x-request-id']);
  });

  it("given an analyst on the auditors' route, then the refusal is audited as denied", async () => {
    const before = trail.events.length;
    const response = await app.inject({
      url: '/v1/audit',
      headers: { authorization: await bearer('analyst') },
    });
    expect(response.statusCode).toBe(403);
    expect(trail.events.slice(before)).toEqual([
      expect.objectContaining({
        actor: 'analyst-1',
        role: 'analyst',
        action: 'view_audit',
        outcome: 'denied',
      }),
    ]);
  });

  it('given an auditor asking for a reveal, then the refusal is audited as denied on the file', async () => {
    const before = trail.events.length;
    const response = await app.inject({
      method: 'POST',
      url: `/v1/media/${mediaSha256}/reveal`,
      headers: { authorization: await bearer('auditor') },
      payload: { reportId: exampleCase.reportId, reason: 'role table' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('TRIAGE_ROLE_FORBIDDEN');
    expect(trail.events.slice(before)).toEqual([
      expect.objectContaining({
        actor: 'auditor-1',
        action: 'reveal',
        target: { type: 'sha256', id: mediaSha256 },
        outcome: 'denied',
      }),
    ]);
  });

  it('given an auditor looking up a hash, then the refusal is audited as denied with the hash as target', async () => {
    const before = trail.events.length;
    const md5 = recordExamples.EnrichedItem.hashes?.md5;
    const response = await app.inject({
      url: `/v1/hashes/${md5}`,
      headers: { authorization: await bearer('auditor') },
    });
    expect(response.statusCode).toBe(403);
    expect(trail.events.slice(before)).toEqual([
      expect.objectContaining({
        role: 'auditor',
        action: 'lookup_hash',
        target: { type: 'hash', id: `md5:${md5}` },
        outcome: 'denied',
      }),
    ]);
  });

  it('given an analyst asking for a tier override, then 403 TRIAGE_TIER_OVERRIDE_FORBIDDEN, audited as denied with the reason, nothing written', async () => {
    const before = { events: trail.events.length, actions: actionLog.records.length };
    const response = await app.inject({
      method: 'POST',
      url: `/v1/cases/${encodeURIComponent(exampleCase.reportId)}/actions`,
      headers: { authorization: await bearer('analyst') },
      payload: { type: 'tierOverride', tier: 'P1', reason: 'invented reason' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('TRIAGE_TIER_OVERRIDE_FORBIDDEN');
    expect(trail.events.slice(before.events)).toEqual([
      expect.objectContaining({
        actor: 'analyst-1',
        action: 'triage_action',
        target: { type: 'report', id: exampleCase.reportId },
        reason: 'invented reason',
        outcome: 'denied',
      }),
    ]);
    expect(actionLog.records.length).toBe(before.actions);
  });

  it('given an auditor posting an action, then 403 TRIAGE_ROLE_FORBIDDEN audited as a denied triage_action', async () => {
    const before = trail.events.length;
    const response = await app.inject({
      method: 'POST',
      url: `/v1/cases/${encodeURIComponent(exampleCase.reportId)}/actions`,
      headers: { authorization: await bearer('auditor') },
      payload: { type: 'claim' },
    });
    expect(response.statusCode).toBe(403);
    expect(trail.events.slice(before)).toEqual([
      expect.objectContaining({ role: 'auditor', action: 'triage_action', outcome: 'denied' }),
    ]);
  });

  it.each(['/healthz', '/readyz', '/openapi.json'])('given %s without a token, then 200', async (url) => {
    expect((await app.inject({ url })).statusCode).toBe(200);
  });

  it('given the development login without a token, then 200 and a token', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/dev/token',
      payload: { role: 'analyst', sub: 'analyst-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().token).toMatch(/^eyJ/);
  });

  it('given an unknown route, then a 404 problem, not a stack trace', async () => {
    const response = await app.inject({
      url: '/v1/nothing-here?q=secret',
      headers: { authorization: await bearer('analyst') },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      type: 'urn:triage:problem:TRIAGE_ROUTE_NOT_FOUND',
      code: 'TRIAGE_ROUTE_NOT_FOUND',
      status: 404,
      instance: '/v1/nothing-here',
    });
    expect(response.json().requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('given the OpenAPI document, then the bearer scheme is declared and the probes need none', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json();
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/healthz'].get.security).toBeUndefined();
  });
});

describe('triage API, keys from a JWKS URL over HTTP on 127.0.0.1', () => {
  let app: TriageApp;
  let closeJwks: () => Promise<void>;
  beforeAll(async () => {
    // The local issuer's public keys, served the way an identity provider serves its JWKS.
    const server = await serveJwks(await readLocalJwks(dir));
    closeJwks = server.close;
    const config = loadTriageApiConfig({
      TRIAGE_API_JWKS_URL: server.url.href,
      // A production issuer name is required with a JWKS URL; the tokens below carry the local one.
      TRIAGE_API_TOKEN_ISSUER: 'https://idp.example.test/',
    });
    app = await buildApp({ logger, ...(await createTriageApiAuth(config, logger)), ...readDeps() });
    // A probe route, for this test only: proves the harness refuses and admits as the table says.
    app.get('/v1/probe', { config: { access: requireRoles('auditor') } }, async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await closeJwks?.();
  });

  it('given readiness, then the key set is fetched and the API is ready (details for operators only)', async () => {
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('given a token the issuer signed for the audience, then 200 for the allowed role and 403 for another', async () => {
    const privateJwk = JSON.parse(await readFile(localIssuerFiles(dir).privateKeyFile, 'utf8'));
    const sign = async (role: UserRole) =>
      new SignJWT({ role })
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
        .setIssuer('https://idp.example.test/')
        .setAudience('triage-api')
        .setSubject('idp-user-1')
        .setExpirationTime('5m')
        .sign(await importJWK(privateJwk, 'ES256'));
    const allowed = await app.inject({
      url: '/v1/probe',
      headers: { authorization: `Bearer ${await sign('auditor')}` },
    });
    expect(allowed.statusCode).toBe(200);
    const refused = await app.inject({
      url: '/v1/probe',
      headers: { authorization: `Bearer ${await sign('analyst')}` },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('given a token of the right role but another issuer, then 401 TRIAGE_TOKEN_INVALID', async () => {
    const response = await app.inject({
      url: '/v1/probe',
      headers: { authorization: await bearer('auditor') },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('TRIAGE_TOKEN_INVALID');
  });
});

describe('triage API with the OIDC sign-in configured (no development login)', () => {
  let app: TriageApp;
  beforeAll(async () => {
    const issuer = 'https://idp.example.test/';
    const config = loadTriageApiConfig({
      // Never fetched here: the table of registered routes needs no key.
      TRIAGE_API_JWKS_URL: 'https://idp.example.test/jwks',
      TRIAGE_API_TOKEN_ISSUER: issuer,
      TRIAGE_API_OIDC_ISSUER: issuer,
      TRIAGE_API_OIDC_CLIENT_ID: 'triage-console',
      TRIAGE_API_OIDC_REDIRECT_URL: 'https://triage.example.test/v1/auth/oidc/callback',
    });
    app = await buildApp({ logger, ...(await createTriageApiAuth(config, logger)), ...readDeps() });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('given the registered routes, then the protected ones are the table and the sign-in routes are public', () => {
    const protectedRoutes = registered(app)
      .filter((entry) => !('public' in entry.access))
      .map((entry) => `${entry.method} ${entry.url}`);
    expect(protectedRoutes.sort()).toEqual(v1Routes.map((row) => `${row.method} ${row.url}`).sort());
    const publics = registered(app)
      .filter((entry) => 'public' in entry.access)
      .map((entry) => `${entry.method} ${entry.url}`);
    expect(publics.sort()).toEqual(
      [
        ...publicRoutes.filter((route) => route !== 'POST /v1/dev/token'),
        'GET /v1/auth/oidc/callback',
        'GET /v1/auth/oidc/start',
      ].sort(),
    );
  });
});

describe('the role x route harness itself (a probe route, never shipped)', () => {
  let app: TriageApp;
  beforeAll(async () => {
    const config = loadTriageApiConfig({ TRIAGE_AUTH_LOCAL_DIR: dir });
    app = await buildApp({ logger, ...(await createTriageApiAuth(config, logger)), ...readDeps() });
    app.get('/v1/probe/:id', { config: { access: requireRoles('supervisor', 'auditor') } }, async () => ({
      ok: true,
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  describeRouteTable('probe table (the shipped routes and the probe)', () => app, [
    ...v1Routes,
    {
      method: 'GET',
      url: '/v1/probe/:id',
      roles: ['supervisor', 'auditor'],
      request: { url: '/v1/probe/7' },
    },
  ]);
});
