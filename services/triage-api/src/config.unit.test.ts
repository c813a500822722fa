import { localIssuer } from '@triage/auth';
import { describe, expect, it } from 'vitest';
import { consoleDirOf, devLoginEnabled, loadTriageApiConfig } from './config.ts';

describe('triage API config', () => {
  it('given an empty env, then 127.0.0.1:8081 and the local development issuer with ES256', () => {
    const config = loadTriageApiConfig({});
    expect(config).toMatchObject({
      TRIAGE_API_HOST: '127.0.0.1',
      TRIAGE_API_PORT: 8081,
      TRIAGE_API_TOKEN_ISSUER: localIssuer,
      TRIAGE_API_TOKEN_AUDIENCE: 'triage-api',
      TRIAGE_API_TOKEN_ALGORITHMS: ['ES256'],
      TRIAGE_AUTH_LOCAL_DIR: '.stack/auth',
    });
    expect(config.TRIAGE_API_JWKS_URL).toBeUndefined();
  });

  it('given a JWKS URL and its issuer, then both are kept with the listed algorithms', () => {
    const config = loadTriageApiConfig({
      TRIAGE_API_JWKS_URL: 'https://idp.example.test/.well-known/jwks.json',
      TRIAGE_API_TOKEN_ISSUER: 'https://idp.example.test/',
      TRIAGE_API_TOKEN_ALGORITHMS: 'RS256, ES256',
    });
    expect(config.TRIAGE_API_TOKEN_ALGORITHMS).toEqual(['RS256', 'ES256']);
  });

  it('given a JWKS URL but the local issuer, then the error names TRIAGE_API_TOKEN_ISSUER', () => {
    expect(() => loadTriageApiConfig({ TRIAGE_API_JWKS_URL: 'https://idp.example.test/jwks' })).toThrow(
      /TRIAGE_API_TOKEN_ISSUER: set it to the production issuer/,
    );
  });

  it('given a production issuer without a JWKS URL, then the error names TRIAGE_API_JWKS_URL', () => {
    expect(() => loadTriageApiConfig({ TRIAGE_API_TOKEN_ISSUER: 'https://idp.example.test/' })).toThrow(
      /TRIAGE_API_JWKS_URL: required/,
    );
  });

  const production = {
    TRIAGE_API_JWKS_URL: 'https://idp.example.test/jwks',
    TRIAGE_API_TOKEN_ISSUER: 'https://idp.example.test/',
  };

  it.each<[string, Record<string, string>, boolean]>([
    ['the local issuer', {}, true],
    ['the local issuer, turned off', { TRIAGE_API_DEV_LOGIN: 'false' }, false],
    ['the local issuer, turned on', { TRIAGE_API_DEV_LOGIN: 'true' }, true],
    ['a JWKS URL', production, false],
    ['a JWKS URL, turned off', { ...production, TRIAGE_API_DEV_LOGIN: 'false' }, false],
  ])('given %s, then the development login is %s', (_name, env, enabled) => {
    expect(devLoginEnabled(loadTriageApiConfig(env))).toBe(enabled);
  });

  it('given a JWKS URL and TRIAGE_API_DEV_LOGIN=true, then the error names TRIAGE_API_DEV_LOGIN', () => {
    expect(() => loadTriageApiConfig({ ...production, TRIAGE_API_DEV_LOGIN: 'true' })).toThrow(
      /TRIAGE_API_DEV_LOGIN: the development login needs the local issuer/,
    );
  });

  const oidc = {
    ...production,
    TRIAGE_API_OIDC_ISSUER: 'https://idp.example.test/',
    TRIAGE_API_OIDC_CLIENT_ID: 'triage-console',
    TRIAGE_API_OIDC_REDIRECT_URL: 'https://triage.example.test/v1/auth/oidc/callback',
  };

  it('given a complete OIDC sign-in, then kept with the openid scope and a generic provider name', () => {
    expect(loadTriageApiConfig(oidc)).toMatchObject({
      TRIAGE_API_OIDC_ISSUER: 'https://idp.example.test/',
      TRIAGE_API_OIDC_SCOPES: 'openid',
      TRIAGE_API_OIDC_PROVIDER_NAME: 'the identity provider',
    });
  });

  it.each<[string, Record<string, string | undefined>, RegExp]>([
    [
      'without a client id',
      { ...oidc, TRIAGE_API_OIDC_CLIENT_ID: undefined },
      /TRIAGE_API_OIDC_CLIENT_ID: required/,
    ],
    [
      'without a redirect URL',
      { ...oidc, TRIAGE_API_OIDC_REDIRECT_URL: undefined },
      /TRIAGE_API_OIDC_REDIRECT_URL: required/,
    ],
    [
      'a redirect URL elsewhere',
      { ...oidc, TRIAGE_API_OIDC_REDIRECT_URL: 'https://triage.example.test/login' },
      /must end in \/v1\/auth\/oidc\/callback/,
    ],
    [
      'the local issuer (no JWKS URL)',
      { ...oidc, TRIAGE_API_JWKS_URL: undefined, TRIAGE_API_TOKEN_ISSUER: undefined },
      /TRIAGE_API_JWKS_URL: required with TRIAGE_API_OIDC_ISSUER/,
    ],
    [
      'another token issuer',
      { ...oidc, TRIAGE_API_TOKEN_ISSUER: 'https://other.example.test/' },
      /TRIAGE_API_TOKEN_ISSUER: must equal TRIAGE_API_OIDC_ISSUER/,
    ],
    [
      'a client id without an issuer',
      { TRIAGE_API_OIDC_CLIENT_ID: 'triage-console' },
      /TRIAGE_API_OIDC_CLIENT_ID: set TRIAGE_API_OIDC_ISSUER too/,
    ],
    [
      'scopes with a quote',
      { ...oidc, TRIAGE_API_OIDC_SCOPES: 'openid "profile"' },
      /TRIAGE_API_OIDC_SCOPES/,
    ],
  ])('given an OIDC sign-in %s, then refused at start', (_name, env, error) => {
    const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
    expect(() => loadTriageApiConfig(defined as Record<string, string>)).toThrow(error);
  });

  it('given TRIAGE_API_DEV_LOGIN=yes, then refused', () => {
    expect(() => loadTriageApiConfig({ TRIAGE_API_DEV_LOGIN: 'yes' })).toThrow(/TRIAGE_API_DEV_LOGIN/);
  });

  it.each(['none', 'HS256', 'ES256,none'])('given algorithms %j, then refused', (algorithms) => {
    expect(() => loadTriageApiConfig({ TRIAGE_API_TOKEN_ALGORITHMS: algorithms })).toThrow(
      /TRIAGE_API_TOKEN_ALGORITHMS/,
    );
  });

  it('given an empty env, then the media limits default to 64 MiB, 50 Mpx, 2 decodes at once, and the store root intake uses', () => {
    const config = loadTriageApiConfig({});
    expect(config).toMatchObject({
      CONTENT_STORE_ROOT: '.data/content',
      TRIAGE_API_MEDIA_MAX_BYTES: 64 * 1024 * 1024,
      TRIAGE_API_MEDIA_MAX_PIXELS: 50_000_000,
      TRIAGE_API_MEDIA_CONCURRENCY: 2,
    });
    expect(config.CONTENT_STORE_KEYS).toBeUndefined();
  });

  it('given store keys without a write key id, then the error names CONTENT_STORE_WRITE_KEY_ID', () => {
    expect(() =>
      loadTriageApiConfig({ CONTENT_STORE_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` }),
    ).toThrow(/CONTENT_STORE_WRITE_KEY_ID: required/);
  });

  it('given a media concurrency of 0, then refused, naming the variable', () => {
    expect(() => loadTriageApiConfig({ TRIAGE_API_MEDIA_CONCURRENCY: '0' })).toThrow(
      /TRIAGE_API_MEDIA_CONCURRENCY/,
    );
  });

  it("given no console folder, then this checkout's apps/console/dist; given one, that one", () => {
    const config = loadTriageApiConfig({});
    expect(config.TRIAGE_API_CONSOLE_DIR).toBeUndefined();
    expect(consoleDirOf(config)).toMatch(/[/\\]apps[/\\]console[/\\]dist$/);
    expect(consoleDirOf(loadTriageApiConfig({ TRIAGE_API_CONSOLE_DIR: '/srv/console' }))).toBe(
      '/srv/console',
    );
  });
});
