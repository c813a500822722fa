import { randomUUID } from 'node:crypto';
import { requireRoles } from '@triage/auth';
import { checkExportRequest, type ExportFormat, formatList } from '@triage/hash-lists';
import type { KnownHash, TriageAction } from '@triage/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActionLog } from '../actions/action-log.ts';
import { actionIdConflict, resolveActionId } from '../actions/action-request.ts';
import type { CategoryBook } from '../actions/category-book.ts';
import {
  type CategoryFacts,
  type CategoryRequest,
  categoryVerbs,
  categoryView,
  decideCategoryRequest,
} from '../actions/category-request.ts';
import { type AuditRecorder, audited, auditFailedWrite } from '../audit/audited.ts';
import { caseVersion, type SearchDeps } from '../search/case-store.ts';
import { itemHashes } from '../search/item-hashes.ts';
import {
  caseCategoriesSchema,
  categoryAnswerSchema,
  categoryBodySchema,
  categoryProblemResponses,
  exportProblemResponses,
  exportQuerySchema,
  itemParamsSchema,
  listParamsSchema,
} from './category-schemas.ts';
import { badReportIdResponse, reportIdParamsSchema } from './read-schemas.ts';

export interface CategoryRoutesOptions {
  search: SearchDeps;
  trail: AuditRecorder;
  actions: ActionLog;
  /** Every item's category state (followedCategoryBook); absent: no category routes. */
  categories?: CategoryBook | undefined;
  /** A list's live entries on hashsets.v1 (readListEntries); absent: no export route. */
  listEntries?: ((list: string) => Promise<KnownHash[]>) | undefined;
  /** Epoch milliseconds; default `Date.now`. */
  clock?: () => number;
}

const itemOf = (request: FastifyRequest) => request.params as { reportId: string; itemId: string };

/**
 * An item's VICS category with a second pair of eyes (issue 13): set, confirm, settle and
 * withdraw, each a TriageAction audited before it is written; the case's category states; and the
 * audited export of a hash list (the confirmed one above all) for supervisors and auditors.
 */
export async function categoryRoutes(app: FastifyInstance, options: CategoryRoutesOptions): Promise<void> {
  const { search, trail, actions, categories, listEntries } = options;
  const clock = options.clock ?? Date.now;

  if (categories !== undefined) {
    app.post(
      '/v1/cases/:reportId/items/:itemId/category',
      {
        config: {
          access: requireRoles('analyst', 'supervisor'),
          audit: {
            action: 'triage_action',
            target: (request) => ({ type: 'item', id: itemOf(request).itemId }),
            query: (request) => itemOf(request).reportId,
            reason: (request) => (request.body as CategoryRequest | undefined)?.reason ?? null,
          },
        },
        schema: {
          tags: ['cases'],
          summary:
            'Categorise an item (VICS), confirm another analyst\u2019s category, settle a disagreement, withdraw',
          description:
            'Four eyes: a category counts once a different analyst confirms it (or a supervisor settles a ' +
            'disagreement, with a reason); confirmed items flow into the `police-confirmed` list on `hashsets.v1` ' +
            'with every hash the pipeline computed. Audited first (action `triage_action`), then written to ' +
            '`triage.actions.v1` (TriageAction v3), then answered 202 with the item\u2019s new state.',
          params: itemParamsSchema,
          body: categoryBodySchema,
          response: { 202: categoryAnswerSchema, ...categoryProblemResponses },
        },
      },
      async (request, reply) => {
        const { reportId, itemId } = itemOf(request);
        const body = request.body as CategoryRequest;
        const actionId = resolveActionId(body.actionId, undefined, randomUUID);
        const planned = await audited(trail, request, async () => {
          const [version, hashes] = await Promise.all([
            caseVersion(search, reportId),
            itemHashes(search, reportId, itemId),
          ]);
          const facts: CategoryFacts = {
            principal: request.principal!,
            reportId,
            itemId,
            request: body,
            hashes,
            actionId,
            caseVersion: version,
            at: clock(),
            requestId: request.id,
          };
          const remembered = actions.recall(actionId);
          if (remembered !== undefined) return { body: replay(remembered, facts), resultCount: 1 };
          const decided = decideCategoryRequest(categories.state(reportId, itemId), facts);
          return { body: { action: actions.hold(decided.action), replayed: false }, resultCount: 1 };
        });
        try {
          await actions.write(planned.action);
        } catch (error) {
          await auditFailedWrite(trail, request);
          throw error;
        }
        categories.record(planned.action);
        request.outcome = planned.replayed ? 'replayed' : 'accepted';
        if (planned.replayed) reply.header('idempotent-replayed', 'true');
        return reply
          .code(202)
          .send({ action: planned.action, state: categoryView(itemId, categories.state(reportId, itemId)) });
      },
    );

    app.get(
      '/v1/cases/:reportId/categories',
      {
        config: {
          access: requireRoles('analyst', 'supervisor', 'auditor'),
          audit: {
            action: 'view_case',
            target: (request) => ({ type: 'report', id: (request.params as { reportId: string }).reportId }),
          },
        },
        schema: {
          tags: ['cases'],
          summary: 'The category state of each item of a case (proposed, disputed, confirmed, withdrawn)',
          params: reportIdParamsSchema,
          response: {
            200: caseCategoriesSchema,
            400: badReportIdResponse,
            503: categoryProblemResponses[503],
          },
        },
      },
      async (request) => {
        const { reportId } = request.params as { reportId: string };
        return audited(trail, request, async () => {
          const items = categories.states(reportId).map(({ itemId, state }) => categoryView(itemId, state));
          return { body: { reportId, items }, resultCount: items.length };
        });
      },
    );
  }

  if (listEntries !== undefined) {
    app.get(
      '/v1/hash-lists/:list/export',
      {
        config: {
          access: requireRoles('supervisor', 'auditor'),
          audit: {
            action: 'export',
            target: (request) => ({ type: 'query', id: (request.params as { list: string }).list }),
            recordQuery: true,
          },
        },
        schema: {
          tags: ['hash-lists'],
          summary:
            'Export a hash list as it stands on hashsets.v1: VICS 2.0 JSON or CSV (supervisors, auditors)',
          description:
            'Audited (action `export`, the entry count as the result count) before it is answered. Both formats ' +
            'import back (`pnpm triage hashes import`) to the same entries.',
          params: listParamsSchema,
          querystring: exportQuerySchema,
          response: {
            200: {
              description: 'The list: application/json (VICS 2.0 `#Media` hash set) or text/csv',
              content: {
                'application/json': { schema: { type: 'object', additionalProperties: true } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            ...exportProblemResponses,
          },
        },
      },
      async (request, reply) => {
        const { list } = request.params as { list: string };
        const format = (request.query as { format?: string }).format ?? 'vics';
        const answer = await audited(trail, request, async () => {
          checkExportRequest(list, format);
          const entries = await listEntries(list);
          return { body: formatList(entries, format as ExportFormat), resultCount: entries.length };
        });
        const extension = format === 'vics' ? 'json' : 'csv';
        return reply
          .type(answer.contentType)
          .header('content-disposition', `attachment; filename="${list}.${extension}"`)
          .send(answer.body);
      },
    );
  }
}

/** A retried request under a remembered action id: the same action again, or 409. */
function replay(remembered: TriageAction, facts: CategoryFacts): { action: TriageAction; replayed: boolean } {
  const { request } = facts;
  const same =
    remembered.actor === facts.principal.sub &&
    remembered.reportId === facts.reportId &&
    remembered.payload.itemId === facts.itemId &&
    remembered.type === categoryVerbs[request.action] &&
    (request.category === undefined || remembered.payload.category === String(request.category));
  if (!same) throw actionIdConflict(facts.actionId);
  return { action: remembered, replayed: true };
}
