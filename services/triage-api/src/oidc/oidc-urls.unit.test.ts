import { describe, expect, it } from 'vitest';
import {
  accessTokenOf,
  authorizeUrl,
  consoleLoginLocation,
  discoveryUrl,
  type OidcClientSettings,
  providerMetadataOf,
  tokenRequest,
} from './oidc-urls.ts';

const issuer = 'https://idp.example.test/realms/triage';
const metadata = {
  issuer,
  authorizationEndpoint: `${issuer}/auth?kc=1`,
  tokenEndpoint: `${issuer}/token`,
};
const client: OidcClientSettings = {
  issuer,
  clientId: 'triage console',
  redirectUrl: 'https://triage.example.test/v1/auth/oidc/callback',
  scopes: 'profile email',
};

describe('OIDC URLs and messages', () => {
  it('given an issuer with a path, then its discovery document under that path', () => {
    expect(discoveryUrl(`${issuer}/`).href).toBe(`${issuer}/.well-known/openid-configuration`);
  });

  it('given a discovery document of another issuer, or without endpoints, then refused', () => {
    const document = {
      issuer,
      authorization_endpoint: metadata.authorizationEndpoint,
      token_endpoint: metadata.tokenEndpoint,
    };
    expect(providerMetadataOf(document, issuer)).toEqual(metadata);
    expect(() => providerMetadataOf({ ...document, issuer: 'https://evil.example.test' }, issuer)).toThrow(
      /names issuer/,
    );
    expect(() => providerMetadataOf({ issuer }, issuer)).toThrow(/lacks authorization_endpoint/);
  });

  it("given a sign-in, then the authorize URL keeps the endpoint's own query and adds the code-flow parameters with openid first", () => {
    const url = authorizeUrl(metadata, client, { state: 'the-state', challenge: 'the-challenge' });
    expect(url.origin + url.pathname).toBe(`${issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      kc: '1',
      response_type: 'code',
      client_id: 'triage console',
      redirect_uri: client.redirectUrl,
      scope: 'openid profile email',
      state: 'the-state',
      code_challenge: 'the-challenge',
      code_challenge_method: 'S256',
    });
  });

  it('given a public client, then the client id in the form; a confidential one, then HTTP Basic of the encoded parts', () => {
    const exchange = { code: 'the-code', verifier: 'the-verifier' };
    const publicClient = tokenRequest(client, exchange);
    expect(Object.fromEntries(publicClient.body)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: client.redirectUrl,
      code_verifier: 'the-verifier',
      client_id: 'triage console',
    });
    expect(publicClient.headers.authorization).toBeUndefined();
    const confidential = tokenRequest({ ...client, clientSecret: 's:cret' }, exchange);
    expect(confidential.body.has('client_id')).toBe(false);
    expect(confidential.headers.authorization).toBe(
      `Basic ${Buffer.from('triage%20console:s%3Acret').toString('base64')}`,
    );
  });

  it('given token responses, then only a bearer access token is taken', () => {
    expect(accessTokenOf({ access_token: 'eyJ.a.b', token_type: 'bearer' })).toBe('eyJ.a.b');
    expect(() => accessTokenOf({ access_token: 'eyJ.a.b', token_type: 'DPoP' })).toThrow(/not Bearer/);
    expect(() => accessTokenOf({ id_token: 'eyJ.a.b', token_type: 'Bearer' })).toThrow(/no access_token/);
  });

  it('given a token, then /login with the token in the fragment, form-encoded', () => {
    expect(consoleLoginLocation('eyJ.a+b.c')).toBe('/login#token=eyJ.a%2Bb.c');
  });
});
