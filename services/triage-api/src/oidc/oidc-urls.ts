// The pure parts of the code flow's HTTP: the authorize URL the browser is sent to, the token
// request's body and headers, and the checks on the provider's discovery document and answer.

/** The fields of `/.well-known/openid-configuration` the code flow uses. */
export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
}

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE only). */
  clientSecret?: string | undefined;
  redirectUrl: string;
  /** Space-separated; `openid` is added when missing. */
  scopes: string;
}

/** The discovery document's endpoints, refused when it names another issuer (OIDC Discovery 4.3). */
export function providerMetadataOf(document: unknown, expectedIssuer: string): ProviderMetadata {
  const fields = (document ?? {}) as Record<string, unknown>;
  const { issuer, authorization_endpoint, token_endpoint } = fields;
  if (issuer !== expectedIssuer) {
    throw new Error(`the discovery document names issuer ${String(issuer)}, not ${expectedIssuer}`);
  }
  if (typeof authorization_endpoint !== 'string' || typeof token_endpoint !== 'string') {
    throw new Error('the discovery document lacks authorization_endpoint or token_endpoint');
  }
  return {
    issuer,
    authorizationEndpoint: new URL(authorization_endpoint).href,
    tokenEndpoint: new URL(token_endpoint).href,
  };
}

/** Where the discovery document of `issuer` lives (a path in the issuer is kept). */
export const discoveryUrl = (issuer: string): URL =>
  new URL(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);

const scopeList = (scopes: string) => {
  const list = scopes.split(' ').filter(Boolean);
  return list.includes('openid') ? list : ['openid', ...list];
};

/** The authorization request (RFC 6749 4.1.1 with PKCE S256). */
export function authorizeUrl(
  metadata: ProviderMetadata,
  client: OidcClientSettings,
  login: { state: string; challenge: string },
): URL {
  const url = new URL(metadata.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', client.redirectUrl);
  url.searchParams.set('scope', scopeList(client.scopes).join(' '));
  url.searchParams.set('state', login.state);
  url.searchParams.set('code_challenge', login.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url;
}

/** The token request (RFC 6749 4.1.3): form body, and client_secret_basic for a confidential client. */
export function tokenRequest(
  client: OidcClientSettings,
  exchange: { code: string; verifier: string },
): { headers: Record<string, string>; body: URLSearchParams } {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: exchange.code,
    redirect_uri: client.redirectUrl,
    code_verifier: exchange.verifier,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (client.clientSecret === undefined) {
    body.set('client_id', client.clientId);
  } else {
    // RFC 6749 2.3.1: each part form-encoded before Base64.
    const user = encodeURIComponent(client.clientId);
    const password = encodeURIComponent(client.clientSecret);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  return { headers, body };
}

/** The access token of a successful token response, or why there is none. */
export function accessTokenOf(answer: unknown): string {
  const fields = (answer ?? {}) as Record<string, unknown>;
  if (typeof fields.access_token !== 'string' || fields.access_token === '') {
    throw new Error('the token response has no access_token');
  }
  if (typeof fields.token_type !== 'string' || fields.token_type.toLowerCase() !== 'bearer') {
    throw new Error(`the token response's token_type is ${String(fields.token_type)}, not Bearer`);
  }
  return fields.access_token;
}

/** Where the console picks the token up: in the fragment, which the browser never sends to a server. */
export const consoleLoginLocation = (token: string): string =>
  `/login#${new URLSearchParams({ token }).toString()}`;
