import { publicAccess } from '@triage/auth';
import type { FastifyInstance } from 'fastify';

/** Serves the OpenAPI document @fastify/swagger builds from the route schemas. */
export async function openapiRoute(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { config: { access: publicAccess }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
