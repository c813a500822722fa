// The headers every answer carries, decided without I/O, and the plugin in process (inject): a
// route's own value wins, every other header is filled in, HSTS only where the port is TLS.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { apiContentSecurityPolicy, browserSecurityHeaders, securityHeaders } from './security-headers.ts';

const browserDefaults = {
  'content-security-policy': apiContentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

async function appWith(tls: boolean) {
  const app = Fastify();
  await app.register(browserSecurityHeaders, { tls });
  app.get('/data', async () => ({ case: 'invented' }));
  app.get('/page', async (_request, reply) =>
    reply
      .header('content-security-policy', "default-src 'self'")
      .header('cache-control', 'max-age=60')
      .send('ok'),
  );
  app.get('/fails', async () => {
    throw new Error('refused');
  });
  return app;
}

describe('securityHeaders', () => {
  it('given a plain HTTP port, then every browser header but HSTS (a browser ignores it over HTTP)', () => {
    const headers = securityHeaders({ tls: false });
    expect(headers).toMatchObject(browserDefaults);
    expect(headers).not.toHaveProperty('strict-transport-security');
  });

  it('given a TLS port, then HSTS for a year, without includeSubDomains', () => {
    expect(securityHeaders({ tls: true })['strict-transport-security']).toBe('max-age=31536000');
  });

  it('given the permissions policy, then each feature is off for every origin', () => {
    for (const entry of securityHeaders({ tls: false })['permissions-policy']!.split(', ')) {
      expect(entry).toMatch(/^[a-z-]+=\(\)$/);
    }
  });
});

describe('browserSecurityHeaders', () => {
  it('given a JSON answer, then every default, HSTS on TLS', async () => {
    const app = await appWith(true);
    const response = await app.inject({ url: '/data' });
    expect(response.headers).toMatchObject({
      ...browserDefaults,
      'strict-transport-security': 'max-age=31536000',
    });
    await app.close();
  });

  it("given a route that sets its own policy and cache, then the route's values stay and the rest are filled in", async () => {
    const app = await appWith(false);
    const response = await app.inject({ url: '/page' });
    expect(response.headers['content-security-policy']).toBe("default-src 'self'");
    expect(response.headers['cache-control']).toBe('max-age=60');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers).not.toHaveProperty('strict-transport-security');
    await app.close();
  });

  it('given an error and an unknown path, then those answers carry the headers too', async () => {
    const app = await appWith(false);
    for (const url of ['/fails', '/nowhere']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.headers).toMatchObject(browserDefaults);
    }
    await app.close();
  });
});
