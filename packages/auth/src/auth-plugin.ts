import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { authorise, bearerToken, type Principal } from './principal.ts';
import type { UserRole } from './roles.ts';

/** Who may call a route: anyone (health, the OpenAPI document) or holders of one of the roles. */
export type RouteAccess = { readonly public: true } | { readonly roles: readonly UserRole[] };

/** Access of a route anyone may call. */
export const publicAccess: RouteAccess = { public: true };

/** Access of a route for a valid token carrying one of `roles`. */
export function requireRoles(...roles: UserRole[]): RouteAccess {
  if (roles.length === 0) throw new Error('requireRoles needs at least one role');
  return { roles };
}

/** A registered route and who may call it: what the role x route tests walk. */
export interface RouteAccessEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

export interface AuthenticationOptions {
  /** Verifies a bearer token (see createTokenVerifier); throws a catalogue error when it is refused. */
  verifyToken: (token: string) => Promise<Principal>;
  /** OpenAPI security scheme name the protected routes reference. */
  securityScheme: string;
  /** Response schemas every protected route adds to its own (the 401 and 403 problems), for OpenAPI. */
  refusalResponses?: Readonly<Record<string, unknown>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route registered after the authentication plugin. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The caller of a protected route, set before its handler runs; null on public routes. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route registered after the authentication plugin, with its access. */
    routeAccess: () => readonly RouteAccessEntry[];
  }
}

/** The access a route declares; a route without one is a programming error, caught at start-up. */
function declaredAccess(route: RouteOptions): RouteAccess {
  const access = (route.config as { access?: RouteAccess } | undefined)?.access;
  if (access === undefined) {
    throw new Error(
      `route ${String(route.method)} ${route.url} declares no access (publicAccess or requireRoles)`,
    );
  }
  return access;
}

/**
 * Deny by default: every route registered after this plugin must declare `config.access`.
 * Protected routes verify the bearer token and the role in `onRequest`, before the body is
 * read, and say so in their OpenAPI `security`. Refusals are thrown as catalogue errors for the
 * problem handler (401 with a `WWW-Authenticate: Bearer` challenge, 403).
 */
export const authentication = fp(
  async (app: FastifyInstance, options: AuthenticationOptions) => {
    const table: RouteAccessEntry[] = [];
    app.decorateRequest('principal', null);
    app.decorate('routeAccess', () => table);

    const checkAccess = (roles: readonly UserRole[]) => async (request: FastifyRequest) => {
      const principal = await options.verifyToken(bearerToken(request.headers.authorization));
      request.principal = principal;
      authorise(principal, roles);
    };

    app.addHook('onRoute', (route) => {
      const access = declaredAccess(route);
      for (const method of [route.method].flat()) table.push({ method, url: route.url, access });
      if ('public' in access) return;
      const response = { ...options.refusalResponses, ...(route.schema?.response as object | undefined) };
      route.schema = { ...route.schema, security: [{ [options.securityScheme]: [] }], response };
      route.onRequest = [checkAccess(access.roles), ...[route.onRequest ?? []].flat()];
    });
  },
  { name: 'triage-authentication' },
);
