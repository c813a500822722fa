import { requireRoles } from '@triage/auth';
import { TriageError } from '@triage/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuditRecorder, audited } from '../audit/audited.ts';
import { hosterCsv, rankingCsv } from '../hosters/hoster-csv.ts';
import type { HosterQuery } from '../hosters/hoster-query.ts';
import { HosterStore } from '../hosters/hoster-store.ts';
import { evidenceView, hosterPageView, rankingView } from '../hosters/hoster-views.ts';
import type { SearchDeps } from '../search/case-store.ts';
import {
  asnParamsSchema,
  evidenceInvalidResponse,
  evidenceQuerySchema,
  evidenceSchema,
  hosterNotFoundResponse,
  hosterPageQuerySchema,
  hosterPageSchema,
  hosterRankingQuerySchema,
  hosterRankingSchema,
  hosterResponses,
} from './hoster-schemas.ts';

export interface HosterRoutesOptions {
  search: SearchDeps;
  trail: AuditRecorder;
  /** How old the held hoster documents may be before a read catches up; default 1000 ms. */
  refreshMs?: number | undefined;
  clock?: () => number;
}

const asnOf = (request: FastifyRequest) => (request.params as { asn: number }).asn;
const queryOf = (request: FastifyRequest) => request.query as HosterQuery;

/** CSV when asked for: the same numbers, as an attachment a spreadsheet opens. */
function answer(
  reply: FastifyReply,
  format: HosterQuery['format'],
  json: object,
  csv: () => string,
  name: string,
) {
  if (format !== 'csv') return json;
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
  return csv();
}

/**
 * The hoster monitor's figures for supervisors and auditors (a regulator's view of notice and
 * takedown): the ranking, a hoster's page, and the evidence export; every read audited before it
 * is answered, the export as `export`.
 */
export async function hosterRoutes(app: FastifyInstance, options: HosterRoutesOptions): Promise<void> {
  const { trail } = options;
  const clock = options.clock ?? Date.now;
  const store = new HosterStore({ search: options.search, refreshMs: options.refreshMs, clock });

  app.get(
    '/v1/hosters',
    {
      config: {
        access: requireRoles('supervisor', 'auditor'),
        audit: { action: 'search', target: () => ({ type: 'hoster', id: null }), recordQuery: true },
      },
      schema: {
        tags: ['hosters'],
        summary:
          'Hosters ranked by a figure of notice and takedown, for a period as of a time; CSV with format=csv',
        querystring: hosterRankingQuerySchema,
        response: hosterResponses(hosterRankingSchema),
      },
    },
    async (request, reply) => {
      const query = queryOf(request);
      const body = await audited(trail, request, async () => {
        const view = rankingView(await store.snapshot(), query, clock());
        return { body: view, resultCount: view.hosters.length };
      });
      return answer(reply, query.format, body, () => rankingCsv(body.hosters), 'hosters');
    },
  );

  app.get(
    '/v1/hosters/:asn',
    {
      config: {
        access: requireRoles('supervisor', 'auditor'),
        audit: {
          action: 'search',
          target: (request) => ({ type: 'hoster', id: String(asnOf(request)) }),
          recordQuery: true,
        },
      },
      schema: {
        tags: ['hosters'],
        summary:
          'One hoster: its figures, per country, the trend per month, the time-to-removal distribution and the overdue list',
        params: asnParamsSchema,
        querystring: hosterPageQuerySchema,
        response: { ...hosterResponses(hosterPageSchema), 404: hosterNotFoundResponse },
      },
    },
    async (request, reply) => {
      const query = queryOf(request);
      const asn = asnOf(request);
      const body = await audited(trail, request, async () => {
        const view = hosterPageView(await store.snapshot(), asn, query, clock());
        if (view === null) throw notFound(asn);
        return { body: view, resultCount: 1 };
      });
      return answer(
        reply,
        query.format,
        body,
        () => hosterCsv(body.hoster, body.countries, body.trend),
        `hoster-${asn}`,
      );
    },
  );

  app.get(
    '/v1/hosters/:asn/evidence',
    {
      config: {
        access: requireRoles('supervisor', 'auditor'),
        audit: {
          action: 'export',
          target: (request) => ({ type: 'hoster', id: String(asnOf(request)) }),
          recordQuery: true,
        },
      },
      schema: {
        tags: ['hosters'],
        summary:
          'Evidence for a regulator: each overdue case of the hoster with its notice ids, times and hashes (no media, no report text); audited as an export',
        params: asnParamsSchema,
        querystring: evidenceQuerySchema,
        response: {
          200: evidenceSchema,
          // Found by schemathesis: `?asOf=` answered an undocumented 400.
          400: evidenceInvalidResponse,
          404: hosterNotFoundResponse,
        },
      },
    },
    async (request) =>
      audited(trail, request, async () => {
        const asn = asnOf(request);
        const view = evidenceView(await store.snapshot(), asn, queryOf(request), clock());
        if (view === null) throw notFound(asn);
        return { body: view, resultCount: view.items.length };
      }),
  );
}

function notFound(asn: number): TriageError {
  return new TriageError('TRIAGE_HOSTER_NOT_FOUND', `No notice case is attributed to AS${asn}`);
}
