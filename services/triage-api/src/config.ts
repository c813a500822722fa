import { fileURLToPath } from 'node:url';
import { defaultLocalIssuerDir, localIssuer, triageApiAudience } from '@triage/auth';
import { commonEnv, csv, type Env, loadConfig, opsPort, port } from '@triage/config';
import { checkContentStoreConfig, contentStoreEnv } from '@triage/content-store';
import { checkTlsPair, tlsEnv } from '@triage/http-security';
import { z } from 'zod';
import type { MediaDeps, MediaStore } from './media/media-pictures.ts';

export const triageApiEnv = {
  ...commonEnv,
  TRIAGE_API_PORT: port.default(8081).describe('Triage API HTTP port'),
  TRIAGE_API_OPS_PORT: opsPort('triage-api'),
  TRIAGE_API_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the triage API listens on (0.0.0.0 to listen on every interface)'),
  ...tlsEnv('TRIAGE_API', 'triage API'),
  TRIAGE_API_JWKS_URL: z
    .url()
    .optional()
    .describe(
      "Production: the identity provider's JWKS URL (https). Unset: tokens from the local development issuer (`pnpm triage token`) are accepted instead",
    ),
  TRIAGE_API_TOKEN_ISSUER: z
    .string()
    .min(1)
    .default(localIssuer)
    .describe(
      'Expected `iss` of bearer tokens (must be the production issuer when TRIAGE_API_JWKS_URL is set)',
    ),
  TRIAGE_API_TOKEN_AUDIENCE: z
    .string()
    .min(1)
    .default(triageApiAudience)
    .describe('Expected `aud` of bearer tokens'),
  TRIAGE_API_TOKEN_ALGORITHMS: csv
    .pipe(
      z
        .array(
          z.enum(['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA']),
        )
        .min(1),
    )
    .default(['ES256'])
    .describe('Accepted token signature algorithms, comma-separated (never `none` or HMAC)'),
  TRIAGE_API_TOKEN_ROLE_CLAIM: z
    .string()
    .min(1)
    .default('role')
    .describe('Token claim holding the role: analyst, supervisor, auditor or operator'),
  TRIAGE_API_CLOCK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(300)
    .default(30)
    .describe('Leeway for token expiry and not-before against clock skew'),
  TRIAGE_API_JWKS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(5_000)
    .describe('Deadline of one JWKS fetch; a request whose keys cannot be fetched is answered 503'),
  TRIAGE_API_JWKS_CACHE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(600_000)
    .describe('How long fetched signing keys are kept before the JWKS is fetched again'),
  TRIAGE_API_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, '1-100 characters of A-Z a-z 0-9 . _ : -')
    .default('triage-api-0')
    .describe(
      'This instance, unique among the triage API instances running at once: the writer id of its audit hash chain',
    ),
  TRIAGE_API_HASH_MAX_PDQ_DISTANCE: z.coerce
    .number()
    .int()
    .min(0)
    .max(31)
    .default(31)
    .describe(
      'Largest PDQ Hamming distance a hash look-up may ask for (`?distance=`); 31 is the most the segment search guarantees to find every match within',
    ),
  TRIAGE_API_HOSTER_REFRESH_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .default(1_000)
    .describe(
      "How old the hoster figures' case documents may be before a request catches up on the changed ones (default 1000: a takedown is visible within a second, and a burst of requests reads Elasticsearch once); 0 reads on every request",
    ),
  TRIAGE_API_DEV_LOGIN: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true'))
    .describe(
      'DEVELOPMENT ONLY: `POST /v1/dev/token` signs a local-issuer token for any role and subject, without a password. Unset: on with the local development issuer, off with TRIAGE_API_JWKS_URL (where `true` is refused)',
    ),
  TRIAGE_API_OIDC_ISSUER: z
    .url()
    .optional()
    .describe(
      "Production console sign-in: the OpenID Connect identity provider's issuer URL (its `/.well-known/openid-configuration` is read on the first sign-in). Set: `GET /v1/auth/oidc/start` and `/v1/auth/oidc/callback` are served; it must equal TRIAGE_API_TOKEN_ISSUER and needs TRIAGE_API_JWKS_URL",
    ),
  TRIAGE_API_OIDC_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The console's OAuth client id at the identity provider (required with TRIAGE_API_OIDC_ISSUER)",
    ),
  TRIAGE_API_OIDC_CLIENT_SECRET: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The client secret, for a confidential client (sent with HTTP Basic at the token endpoint); unset: a public client with PKCE only',
    ),
  TRIAGE_API_OIDC_REDIRECT_URL: z
    .url()
    .optional()
    .describe(
      "Where the identity provider sends the browser back: this API's `/v1/auth/oidc/callback` as the browser reaches it (registered at the provider; required with TRIAGE_API_OIDC_ISSUER)",
    ),
  TRIAGE_API_OIDC_SCOPES: z
    .string()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'scopes separated by single spaces')
    .default('openid')
    .describe('Scopes asked for, space-separated (`openid` is always sent)'),
  TRIAGE_API_OIDC_PROVIDER_NAME: z
    .string()
    .min(1)
    .max(60)
    .default('the identity provider')
    .describe('The provider\'s name on the console\'s sign-in button ("Sign in with ...")'),
  TRIAGE_API_CONSOLE_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Folder of the built web console (`pnpm console:build`) served at `/`; unset: apps/console/dist of this checkout. Without its index.html the API serves no console (`triage up` refuses to start)',
    ),
  TRIAGE_AUTH_LOCAL_DIR: z
    .string()
    .min(1)
    .default(defaultLocalIssuerDir)
    .describe(
      'Folder of the local development issuer keys (private key 0600, jwks.json); created on first use; shared with `pnpm triage token`',
    ),
  TRIAGE_API_STATE_DIR: z
    .string()
    .min(1)
    .default('.data/triage-api/state')
    .describe(
      "This instance's own folder for its state (LMDB: every item's category state folded from triage.actions.v1), a cache of the log rebuilt from it when missing or damaged; never shared by two instances",
    ),
  // The media routes read the content store intake writes: same root, same keys.
  ...contentStoreEnv,
  TRIAGE_API_MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024)
    .describe(
      'Stored files larger than this (bytes, read from the store before loading) are not decoded: the preview and reveal answer the placeholder',
    ),
  TRIAGE_API_MEDIA_MAX_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(50_000_000)
    .describe(
      'Images with more pixels are not decoded (decompression bombs; sharp limitInputPixels): the placeholder instead',
    ),
  TRIAGE_API_MEDIA_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe(
      'Media files decoded at once for previews and reveals; beyond it a request is refused with 503 and Retry-After',
    ),
  TRIAGE_API_MEDIA_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(120)
    .default(10)
    .describe('Longest one decode may take before it is abandoned (then the placeholder)'),
  TRIAGE_API_REVEAL_MAX_SIDE: z.coerce
    .number()
    .int()
    .min(160)
    .max(8192)
    .default(2048)
    .describe('Longest side of a revealed image in pixels (larger images are scaled down, never up)'),
} as const;

export type TriageApiConfig = ReturnType<typeof loadTriageApiConfig>;

/** Where `pnpm console:build` writes the console in this checkout (TRIAGE_API_CONSOLE_DIR overrides it). */
export const defaultConsoleDir = fileURLToPath(new URL('../../../apps/console/dist', import.meta.url));

/** The folder the API serves the console from. */
export const consoleDirOf = (env: { TRIAGE_API_CONSOLE_DIR?: string | undefined }) =>
  env.TRIAGE_API_CONSOLE_DIR || defaultConsoleDir;

/** A production JWKS and the development issuer never mix: each side names its variable. */
function checkAuth(config: {
  TRIAGE_API_JWKS_URL?: string | undefined;
  TRIAGE_API_TOKEN_ISSUER: string;
  TRIAGE_API_DEV_LOGIN?: boolean | undefined;
}): string[] {
  if (config.TRIAGE_API_JWKS_URL !== undefined && config.TRIAGE_API_DEV_LOGIN === true) {
    return ['TRIAGE_API_DEV_LOGIN: the development login needs the local issuer; unset TRIAGE_API_JWKS_URL'];
  }
  if (config.TRIAGE_API_JWKS_URL !== undefined && config.TRIAGE_API_TOKEN_ISSUER === localIssuer) {
    return ['TRIAGE_API_TOKEN_ISSUER: set it to the production issuer when TRIAGE_API_JWKS_URL is set'];
  }
  if (config.TRIAGE_API_JWKS_URL === undefined && config.TRIAGE_API_TOKEN_ISSUER !== localIssuer) {
    return [
      `TRIAGE_API_JWKS_URL: required when TRIAGE_API_TOKEN_ISSUER is not the local issuer (${localIssuer})`,
    ];
  }
  return [];
}

/** The OIDC sign-in needs all of issuer, client id and redirect URL, and trusts only tokens the API itself accepts. */
function checkOidc(config: {
  TRIAGE_API_JWKS_URL?: string | undefined;
  TRIAGE_API_TOKEN_ISSUER: string;
  TRIAGE_API_OIDC_ISSUER?: string | undefined;
  TRIAGE_API_OIDC_CLIENT_ID?: string | undefined;
  TRIAGE_API_OIDC_CLIENT_SECRET?: string | undefined;
  TRIAGE_API_OIDC_REDIRECT_URL?: string | undefined;
}): string[] {
  const issuer = config.TRIAGE_API_OIDC_ISSUER;
  if (issuer === undefined) {
    const stray = (
      ['TRIAGE_API_OIDC_CLIENT_ID', 'TRIAGE_API_OIDC_CLIENT_SECRET', 'TRIAGE_API_OIDC_REDIRECT_URL'] as const
    ).filter((name) => config[name] !== undefined);
    return stray.map((name) => `${name}: set TRIAGE_API_OIDC_ISSUER too, or unset it`);
  }
  const problems: string[] = [];
  if (config.TRIAGE_API_OIDC_CLIENT_ID === undefined) {
    problems.push('TRIAGE_API_OIDC_CLIENT_ID: required with TRIAGE_API_OIDC_ISSUER');
  }
  if (config.TRIAGE_API_OIDC_REDIRECT_URL === undefined) {
    problems.push('TRIAGE_API_OIDC_REDIRECT_URL: required with TRIAGE_API_OIDC_ISSUER');
  } else if (!new URL(config.TRIAGE_API_OIDC_REDIRECT_URL).pathname.endsWith('/v1/auth/oidc/callback')) {
    problems.push('TRIAGE_API_OIDC_REDIRECT_URL: must end in /v1/auth/oidc/callback');
  }
  if (config.TRIAGE_API_JWKS_URL === undefined) {
    problems.push("TRIAGE_API_JWKS_URL: required with TRIAGE_API_OIDC_ISSUER (the provider's key set)");
  }
  if (config.TRIAGE_API_TOKEN_ISSUER !== issuer) {
    problems.push(
      'TRIAGE_API_TOKEN_ISSUER: must equal TRIAGE_API_OIDC_ISSUER (the API checks the tokens it hands out)',
    );
  }
  return problems;
}

/** Whether `POST /v1/dev/token` is served: only with the local development issuer, unless turned off. */
export function devLoginEnabled(config: TriageApiConfig): boolean {
  return config.TRIAGE_API_JWKS_URL === undefined && config.TRIAGE_API_DEV_LOGIN !== false;
}

export function loadTriageApiConfig(env: Env) {
  return loadConfig(triageApiEnv, env, (config) => [
    ...checkAuth(config),
    ...checkOidc(config),
    ...checkContentStoreConfig(config),
    ...checkTlsPair('TRIAGE_API', config),
  ]);
}

/** The media routes' dependencies: the store (opened from the same config) and the decode limits. */
export function mediaDepsFromConfig(config: TriageApiConfig, store: MediaStore): MediaDeps {
  return {
    store,
    limits: {
      maxBytes: config.TRIAGE_API_MEDIA_MAX_BYTES,
      maxPixels: config.TRIAGE_API_MEDIA_MAX_PIXELS,
      concurrency: config.TRIAGE_API_MEDIA_CONCURRENCY,
      timeoutSeconds: config.TRIAGE_API_MEDIA_TIMEOUT_SECONDS,
      revealMaxSide: config.TRIAGE_API_REVEAL_MAX_SIDE,
    },
  };
}
