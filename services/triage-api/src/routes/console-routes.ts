// The web console at `/` (issue 17): the HTML shell for every console route and the hashed assets,
// all public (the login page loads without a token; the data behind it needs one). Only the listed
// paths: /v1/*, the probes and /openapi.json keep their own routes, unknown paths their 404 problem.
import { publicAccess } from '@triage/auth';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type ConsoleBundle, consoleContentSecurityPolicy } from '../console/console-bundle.ts';

export interface ConsoleRoutesOptions {
  bundle: ConsoleBundle;
}

/** The console's client routes (apps/console/src/routes.ts), answered with the shell. */
const consoleShellPaths = ['/', '/login', '/hashes', '/audit', '/cases/*', '/hosters', '/hosters/*'] as const;

/** Asset names carry their content hash: a year, immutable. */
const assetCacheControl = 'public, max-age=31536000, immutable';

/** The console's own policy; the other security headers are every answer's (browserSecurityHeaders). */
const withPolicy = (reply: FastifyReply) =>
  reply.header('content-security-policy', consoleContentSecurityPolicy);

export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions): Promise<void> {
  const { shell, assets } = options.bundle;
  const route = { config: { access: publicAccess }, schema: { hide: true } };

  for (const url of consoleShellPaths) {
    app.get(url, route, async (_request, reply) =>
      // no-store: a new build's asset names reach the next page load at once.
      withPolicy(reply).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(shell),
    );
  }

  app.get('/assets/:name', route, async (request, reply) => {
    const asset = assets.get((request.params as { name: string }).name);
    if (asset === undefined) return reply.callNotFound();
    return withPolicy(reply)
      .type(asset.contentType)
      .header('cache-control', assetCacheControl)
      .send(asset.body);
  });
}
