import { requireRoles } from '@triage/auth';
import type { FastifyInstance } from 'fastify';
import { type AuditRecorder, audited } from '../audit/audited.ts';
import type { AuditQueryInput } from '../search/audit-query.ts';
import type { CaseQueryInput } from '../search/case-query.ts';
import { readCase, type SearchDeps, searchAudit, searchCases } from '../search/case-store.ts';
import {
  auditPageSchema,
  auditQuerySchema,
  badQueryResponse,
  badReportIdResponse,
  caseNotFoundResponse,
  caseQueueQuerySchema,
  caseQueueSchema,
  caseViewSchema,
  reportIdParamsSchema,
} from './read-schemas.ts';

export interface ReadRoutesOptions {
  search: SearchDeps;
  trail: AuditRecorder;
}

/** A read of one page, audited with the number of results the page carries. */
function pageRead<T extends { items: readonly unknown[] }>(read: () => Promise<T>) {
  return async () => {
    const body = await read();
    return { body, resultCount: body.items.length };
  };
}

/** The analysts' reads and the auditors' trail: every answer audited before it is sent. */
export async function readRoutes(app: FastifyInstance, options: ReadRoutesOptions): Promise<void> {
  const { search, trail } = options;

  app.get(
    '/v1/cases',
    {
      config: {
        access: requireRoles('analyst', 'supervisor'),
        audit: { action: 'search', target: () => ({ type: 'query', id: null }), recordQuery: true },
      },
      schema: {
        tags: ['cases'],
        summary:
          'The queue: cases by score or received time, filters, full text, facets, search_after paging',
        querystring: caseQueueQuerySchema,
        response: { 200: caseQueueSchema, 400: badQueryResponse },
      },
    },
    async (request) =>
      audited(
        trail,
        request,
        pageRead(() => searchCases(search, request.query as CaseQueryInput)),
      ),
  );

  app.get(
    '/v1/cases/:reportId',
    {
      config: {
        access: requireRoles('analyst', 'supervisor'),
        audit: {
          action: 'view_case',
          target: (request) => ({ type: 'report', id: (request.params as { reportId: string }).reportId }),
        },
      },
      schema: {
        tags: ['cases'],
        summary:
          'One case: the report, its items with hashes, matches, dedupe and cluster facts, its actions',
        params: reportIdParamsSchema,
        response: { 200: caseViewSchema, 400: badReportIdResponse, 404: caseNotFoundResponse },
      },
    },
    async (request) =>
      audited(trail, request, async () => ({
        body: await readCase(search, (request.params as { reportId: string }).reportId),
        resultCount: 1,
      })),
  );

  app.get(
    '/v1/audit',
    {
      config: {
        access: requireRoles('auditor'),
        audit: { action: 'view_audit', target: () => ({ type: 'query', id: null }), recordQuery: true },
      },
      schema: {
        tags: ['audit'],
        summary:
          'The audit trail as indexed: filters by actor, action, outcome, target and time; newest first',
        querystring: auditQuerySchema,
        response: { 200: auditPageSchema, 400: badQueryResponse },
      },
    },
    async (request) =>
      audited(
        trail,
        request,
        pageRead(() => searchAudit(search, request.query as AuditQueryInput)),
      ),
  );
}
