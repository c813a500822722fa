// The API's OIDC client (a backend-for-frontend): it keeps the state and the PKCE verifier,
// exchanges the code at the provider's token endpoint itself (the console's CSP allows the
// browser to talk only to this origin), and checks the access token with the API's own verifier
// before handing it to the console. Discovery is read on the first sign-in and kept.
import type { Principal } from '@triage/auth';
import { TriageError } from '@triage/errors';
import {
  accessTokenOf,
  authorizeUrl,
  discoveryUrl,
  type OidcClientSettings,
  type ProviderMetadata,
  providerMetadataOf,
  tokenRequest,
} from './oidc-urls.ts';
import { type PendingLogins, pendingLogins } from './pending-logins.ts';
import { createPkce, randomToken } from './pkce.ts';

export interface OidcLoginOptions {
  client: OidcClientSettings;
  /** The name on the console's button. */
  providerName: string;
  /** The API's bearer-token verifier: a token it hands out must be one it accepts. */
  verifyToken: (token: string) => Promise<Principal>;
  /** Deadline of one request to the provider. */
  timeoutMs: number;
  /** How long a sign-in may take at the provider (default 10 min) and how many may be pending (default 1000). */
  pending?: { ttlMs?: number; maxEntries?: number; now?: () => number };
}

export interface OidcLogin {
  providerName: string;
  /** A new sign-in: the provider's authorize URL, its state and verifier remembered. */
  start(): Promise<URL>;
  /** The provider's answer: a verified access token, or a catalogue error. */
  callback(answer: {
    code?: string | undefined;
    state?: string | undefined;
    error?: string | undefined;
  }): Promise<string>;
}

const providerUnavailable = (reason: string, cause?: unknown) =>
  new TriageError('TRIAGE_OIDC_PROVIDER_UNAVAILABLE', reason, { cause });

export function createOidcLogin(options: OidcLoginOptions): OidcLogin {
  const pending: PendingLogins = pendingLogins({
    ttlMs: options.pending?.ttlMs ?? 10 * 60_000,
    maxEntries: options.pending?.maxEntries ?? 1000,
    ...(options.pending?.now ? { now: options.pending.now } : {}),
  });
  let metadata: Promise<ProviderMetadata> | undefined;

  async function fetchJson(url: URL, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw providerUnavailable(`the identity provider did not answer (${url.origin})`, error);
    }
    const body: unknown = await response.json().catch(() => undefined);
    return { status: response.status, body };
  }

  function providerMetadata(): Promise<ProviderMetadata> {
    metadata ??= (async () => {
      const { status, body } = await fetchJson(discoveryUrl(options.client.issuer));
      if (status !== 200) throw providerUnavailable(`the discovery document answered ${status}`);
      try {
        return providerMetadataOf(body, options.client.issuer);
      } catch (error) {
        throw providerUnavailable((error as Error).message, error);
      }
    })();
    // A failed discovery is tried again on the next sign-in.
    metadata.catch(() => {
      metadata = undefined;
    });
    return metadata;
  }

  return {
    providerName: options.providerName,
    async start() {
      const provider = await providerMetadata();
      const state = randomToken();
      const { verifier, challenge } = createPkce();
      pending.put(state, verifier);
      return authorizeUrl(provider, options.client, { state, challenge });
    },
    async callback(answer) {
      // The state first: an answer this API did not ask for is refused before anything else.
      const verifier = answer.state === undefined ? undefined : pending.take(answer.state);
      if (verifier === undefined) {
        throw new TriageError(
          'TRIAGE_OIDC_STATE_INVALID',
          'this sign-in was not started here, has expired (10 minutes) or was already used; sign in again',
        );
      }
      if (answer.error !== undefined || answer.code === undefined) {
        throw new TriageError(
          'TRIAGE_OIDC_LOGIN_REFUSED',
          `the identity provider did not sign you in (${answer.error ?? 'no code'})`,
        );
      }
      const provider = await providerMetadata();
      const request = tokenRequest(options.client, { code: answer.code, verifier });
      const { status, body } = await fetchJson(new URL(provider.tokenEndpoint), {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      if (status >= 400 && status < 500) {
        // invalid_grant and friends: a wrong or replayed code, a verifier that does not match.
        const error = (body as { error?: unknown } | undefined)?.error;
        throw new TriageError(
          'TRIAGE_OIDC_LOGIN_REFUSED',
          `the identity provider refused the code (${typeof error === 'string' ? error : status})`,
        );
      }
      if (status !== 200) throw providerUnavailable(`the token endpoint answered ${status}`);
      let token: string;
      try {
        token = accessTokenOf(body);
      } catch (error) {
        throw providerUnavailable((error as Error).message, error);
      }
      // Throws TRIAGE_TOKEN_INVALID (wrong issuer, audience, role...) or TRIAGE_AUTH_KEYS_UNAVAILABLE.
      await options.verifyToken(token);
      return token;
    },
  };
}
