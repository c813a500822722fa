import { requireRoles, userRoles } from '@triage/auth';
import { TriageError } from '@triage/errors';
import type { FastifyInstance } from 'fastify';
import { type AuditRecorder, audited } from '../audit/audited.ts';
import type { SearchDeps } from '../search/case-store.ts';
import { exposureWindow, sessionStart } from '../search/exposure-query.ts';
import { readAnalystsExposure, readSelfExposure } from '../search/exposure-store.ts';
import {
  analystsExposureQuerySchema,
  analystsExposureSchema,
  badWindowResponse,
  selfExposureSchema,
} from './exposure-schemas.ts';

export interface ExposureRoutesOptions {
  search: SearchDeps;
  trail: AuditRecorder;
  /** Epoch milliseconds; default: the system clock. */
  now?: () => number;
}

/**
 * How much content users were shown (issue 17, part 5): each user their own count for the
 * session, supervisors the count per user. Counts only: no route here names a file.
 */
export async function exposureRoutes(app: FastifyInstance, options: ExposureRoutesOptions): Promise<void> {
  const { search, trail } = options;
  const now = options.now ?? Date.now;

  // Not audited: it reads only the caller's own counts of their own (audited) reads, no content
  // and no one else's, and the console asks for it on every page; authenticated like every /v1 route.
  app.get(
    '/v1/exposure/me',
    {
      config: { access: requireRoles(...userRoles) },
      schema: {
        tags: ['exposure'],
        summary: 'The caller\u2019s own previews and reveals since the session began (the token\u2019s iat)',
        response: { 200: selfExposureSchema },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const since = sessionStart(principal.issuedAt, now());
      const counts = await readSelfExposure(search, principal.sub, { from: since });
      return { sub: principal.sub, since, ...counts };
    },
  );

  app.get(
    '/v1/exposure/analysts',
    {
      config: {
        access: requireRoles('supervisor'),
        audit: { action: 'view_audit', target: () => ({ type: 'query', id: null }), recordQuery: true },
      },
      schema: {
        tags: ['exposure'],
        summary: 'Previews and reveals per user in a window (default: the last 24 h); never which files',
        querystring: analystsExposureQuerySchema,
        response: { 200: analystsExposureSchema, 400: badWindowResponse },
      },
    },
    async (request) =>
      audited(trail, request, async () => {
        const window = exposureWindow(request.query as { from?: number; to?: number }, now());
        if (window === null) {
          throw new TriageError('TRIAGE_REQUEST_INVALID', '`from` must be before `to`', {
            pointer: '/querystring/from',
          });
        }
        const body = { ...window, ...(await readAnalystsExposure(search, window)) };
        return { body, resultCount: body.analysts.length };
      }),
  );
}
