// A fake OpenID Connect provider on 127.0.0.1 for tests: discovery, JWKS, an authorize endpoint
// that signs in a preset user at once and redirects back with a code, and a token endpoint that
// checks the client, the redirect URI and the PKCE verifier (S256) before it answers a JWT signed
// with its own key. Tests only; no real user, no password.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

interface FakeUser {
  sub: string;
  /** Claims the access token carries besides iss, aud, sub, iat, exp (e.g. the role claim). */
  claims: Record<string, unknown>;
}

export interface FakeIdentityProviderOptions {
  clientId: string;
  /** Set: a confidential client, authenticated with HTTP Basic. */
  clientSecret?: string;
  /** The access token's `aud`. */
  audience: string;
}

interface IssuedCode {
  challenge: string;
  redirectUri: string;
  user: FakeUser;
}

export interface FakeIdentityProvider {
  /** `http://127.0.0.1:<port>`, the `iss` of its tokens. */
  issuer: string;
  jwksUrl: string;
  /** Who the next authorize request signs in. */
  signIn(user: FakeUser): void;
  /** Token requests answered, and why each refused one was refused. */
  tokenRequests: { ok: number; refused: string[] };
  close(): Promise<void>;
}

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

export async function startFakeIdentityProvider(
  options: FakeIdentityProviderOptions,
): Promise<FakeIdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'fake-idp-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  let user: FakeUser = { sub: 'analyst-1', claims: {} };
  const tokenRequests = { ok: 0, refused: [] as string[] };
  let issuer = '';

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const json = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (request.method === 'GET' && url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (request.method === 'GET' && url.pathname === '/authorize') {
      const query = url.searchParams;
      const redirectUri = query.get('redirect_uri') ?? '';
      const challenge = query.get('code_challenge') ?? '';
      if (
        query.get('response_type') !== 'code' ||
        query.get('client_id') !== options.clientId ||
        query.get('code_challenge_method') !== 'S256' ||
        !query.get('scope')?.split(' ').includes('openid') ||
        challenge === '' ||
        redirectUri === ''
      ) {
        return json(400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { challenge, redirectUri, user });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', query.get('state') ?? '');
      response.writeHead(302, { location: back.href }).end();
      return;
    }
    if (request.method === 'POST' && url.pathname === '/token') {
      const form = await readBody(request);
      const refuse = (reason: string) => {
        tokenRequests.refused.push(reason);
        json(400, { error: 'invalid_grant', error_description: reason });
      };
      const basic = request.headers.authorization?.replace(/^Basic /, '');
      const [clientId, secret] = basic
        ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
        : [form.get('client_id'), undefined];
      if (clientId !== options.clientId || secret !== options.clientSecret) return refuse('client');
      const code = form.get('code') ?? '';
      const issued = codes.get(code);
      codes.delete(code);
      if (form.get('grant_type') !== 'authorization_code' || issued === undefined) return refuse('code');
      if (form.get('redirect_uri') !== issued.redirectUri) return refuse('redirect_uri');
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) {
        return refuse('code_verifier');
      }
      tokenRequests.ok += 1;
      const accessToken = await new SignJWT(issued.user.claims)
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(options.audience)
        .setSubject(issued.user.sub)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    signIn: (next) => {
      user = next;
    },
    tokenRequests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
