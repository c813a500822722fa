// The web console served by the triage API (issue 17): the HTML shell on every console route with
// the contract's Content-Security-Policy and no-store, the hashed assets cached for good, all without
// a token; and nothing of the API shadowed: /v1 routes still demand a token, unknown paths (under
// /v1 or not) still answer a problem, the probes and /openapi.json still answer. A bundle written by
// the test (not `pnpm console:build`), read the way main.ts reads it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSearchClient, type SearchClient } from '@triage/search';
import { elasticsearchUrl } from '@triage/search/testing/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { buildApp } from './app.ts';
import { consoleContentSecurityPolicy, readConsoleBundle } from './console/console-bundle.ts';
import { localApp } from './testing/local-app.ts';

const shell =
  '<!doctype html><html><head><script type="module" src="/assets/main-ABC123.js"></script></head></html>';
const script = 'console.info("console");';
const stylesheet = 'body{color:#eee}';

let dir: string;
let client: SearchClient;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'triage-api-console-'));
  const bundleDir = path.join(dir, 'dist');
  await mkdir(path.join(bundleDir, 'assets'), { recursive: true });
  await writeFile(path.join(bundleDir, 'index.html'), shell);
  await writeFile(path.join(bundleDir, 'assets', 'main-ABC123.js'), script);
  await writeFile(path.join(bundleDir, 'assets', 'styles-DEF456.css'), stylesheet);
  await writeFile(path.join(bundleDir, 'assets', 'notes.txt'), 'not served');
  client = createSearchClient({ url: elasticsearchUrl });
  app = await localApp({
    dir: path.join(dir, 'auth'),
    search: { client, prefix: `console${process.pid}.` },
    console: await readConsoleBundle(bundleDir),
  });
});

afterAll(async () => {
  await app?.close();
  await client?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the console served by the triage API', () => {
  for (const url of [
    '/',
    '/login',
    '/hashes',
    '/audit',
    '/cases/tipline-nl%3A103200009',
    '/?tier=P1&q=x',
    '/hosters?sort=onlineNow',
    '/hosters/60781',
  ]) {
    it(`given GET ${url} without a token, then the shell with the CSP and no-store`, async () => {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(shell);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-security-policy']).toBe(consoleContentSecurityPolicy);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });
  }

  it('given the CSP, then it is the contract of issue 17 word for word', () => {
    expect(consoleContentSecurityPolicy).toBe(
      "default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  });

  it('given a hashed asset, then its bytes, its type, the CSP and a year-long immutable cache', async () => {
    const js = await app.inject({ url: '/assets/main-ABC123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe(script);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-security-policy']).toBe(consoleContentSecurityPolicy);
    const css = await app.inject({ url: '/assets/styles-DEF456.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toBe(stylesheet);
  });

  it('given an unknown asset, a file of another type or a path outside the bundle, then a 404 problem', async () => {
    for (const url of [
      '/assets/main-OLD.js',
      '/assets/notes.txt',
      '/assets/..%2Findex.html',
      '/favicon.ico',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().code, url).toBe('TRIAGE_ROUTE_NOT_FOUND');
    }
  });

  it('given the API routes, then the console shadows none of them', async () => {
    const queue = await app.inject({ url: '/v1/cases' });
    expect(queue.statusCode).toBe(401);
    expect(queue.json().code).toBe('TRIAGE_TOKEN_MISSING');
    const unknown = await app.inject({ url: '/v1/console' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.json().code).toBe('TRIAGE_ROUTE_NOT_FOUND');
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/openapi.json' })).json().openapi).toBe('3.1.0');
    const nested = await app.inject({ url: '/cases/a/b' });
    expect(nested.statusCode).toBe(200);
  });

  it('given the OpenAPI document, then it lists no console route', async () => {
    const paths = Object.keys((await app.inject({ url: '/openapi.json' })).json().paths);
    expect(paths).toContain('/v1/cases');
    const consolePaths = [
      '/',
      '/login',
      '/hashes',
      '/audit',
      '/cases/*',
      '/hosters',
      '/hosters/*',
      '/assets/{name}',
    ];
    expect(paths.filter((route) => consolePaths.includes(route) || route.startsWith('/assets'))).toEqual([]);
  });
});

describe('the console bundle on disk', () => {
  it('given a folder without index.html (not built), then there is no bundle and no console route', async () => {
    expect(await readConsoleBundle(path.join(dir, 'missing'))).toBeNull();
  });
});
