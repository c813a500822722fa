// The headers a browser reads to protect what it shows: on every answer of intake and the triage
// API (problems and 404s too), unless a route set its own (the console's CSP, its assets' cache).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface SecurityHeadersOptions {
  /** The port serves HTTPS: browsers are told to use nothing else (HSTS). */
  tls: boolean;
}

/** An API answer is data, never a document: it loads nothing, runs nothing and is never framed. */
export const apiContentSecurityPolicy =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Powerful features no page of ours uses, off for it and anything it could embed. */
export const permissionsPolicy =
  'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), ' +
  'microphone=(), midi=(), payment=(), usb=()';

/**
 * One year, the usual preload floor. No `includeSubDomains`: the service does not own its
 * domain's other hosts, whose operators decide for them.
 */
export const strictTransportSecurity = 'max-age=31536000';

/** The defaults of every answer, by lower-case header name. */
export function securityHeaders(options: SecurityHeadersOptions): Readonly<Record<string, string>> {
  return {
    ...(options.tls ? { 'strict-transport-security': strictTransportSecurity } : {}),
    'content-security-policy': apiContentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': permissionsPolicy,
    // Case data, receipts and media never sit in a browser's or a proxy's cache.
    'cache-control': 'no-store',
  };
}

/** Fastify plugin (`fastify-plugin`: the whole app): sets each default the route has not set itself. */
export const browserSecurityHeaders = fp(
  async (app: FastifyInstance, options: SecurityHeadersOptions) => {
    const defaults = Object.entries(securityHeaders(options));
    app.addHook('onSend', async (_request, reply, payload) => {
      for (const [name, value] of defaults) if (!reply.hasHeader(name)) reply.header(name, value);
      return payload;
    });
  },
  { name: 'browser-security-headers' },
);
