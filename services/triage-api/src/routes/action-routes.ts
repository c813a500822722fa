import { randomUUID } from 'node:crypto';
import { requireRoles } from '@triage/auth';
import type { TriageAction } from '@triage/schemas';
import { Ajv } from 'ajv';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActionLog } from '../actions/action-log.ts';
import {
  type ActionRequest,
  actionIdConflict,
  auditReasonOf,
  authorizeAction,
  buildAction,
  resolveActionId,
  sameAction,
} from '../actions/action-request.ts';
import { type AuditRecorder, audited, auditFailedWrite } from '../audit/audited.ts';
import { caseVersion, indexedAction, type SearchDeps } from '../search/case-store.ts';
import {
  actionBodySchema,
  actionHeadersSchema,
  actionProblemResponses,
  recordedActionSchema,
} from './action-schemas.ts';
import { reportIdParamsSchema } from './read-schemas.ts';

export interface ActionRoutesOptions {
  search: SearchDeps;
  trail: AuditRecorder;
  /** Where actions are written (triage.actions.v1, acks=all). */
  actions: ActionLog;
  /** Epoch milliseconds; default `Date.now`. */
  clock?: () => number;
}

/**
 * The route's own validator: Fastify's default one removes unknown properties instead of refusing
 * them (and would strip one `oneOf` branch's fields while trying another), so the action bodies
 * are checked strictly, branch chosen by `type`.
 */
const strict = new Ajv({
  discriminator: true,
  removeAdditional: false,
  coerceTypes: false,
  useDefaults: false,
});

interface Planned {
  action: TriageAction;
  /** The action was recorded before under this id: it is answered again, not recorded anew. */
  replayed: boolean;
  /** Kafka already has it (indexed): nothing to send. */
  written: boolean;
}

const paramsOf = (request: FastifyRequest) => request.params as { reportId: string };

/** Analysts' actions on a case: audited first, then written to triage.actions.v1, then answered 202. */
export async function actionRoutes(app: FastifyInstance, options: ActionRoutesOptions): Promise<void> {
  const { search, trail, actions } = options;
  const clock = options.clock ?? Date.now;

  /** The action this request records: a remembered or indexed one under its id, else a new one. */
  async function plan(request: FastifyRequest, body: ActionRequest, actionId: string): Promise<Planned> {
    const principal = request.principal!;
    const reportId = paramsOf(request).reportId;
    const version = await caseVersion(search, reportId);
    const proposed = buildAction({
      principal,
      reportId,
      request: body,
      actionId,
      caseVersion: version,
      at: clock(),
      requestId: request.id,
    });
    const remembered = actions.recall(actionId);
    const indexed = remembered === undefined ? await indexedAction(search, actionId) : null;
    const earlier = remembered ?? indexed ?? actions.hold(proposed);
    if (!sameAction(earlier, proposed)) throw actionIdConflict(actionId);
    return { action: earlier, replayed: earlier !== proposed, written: indexed !== null };
  }

  app.post(
    '/v1/cases/:reportId/actions',
    {
      config: {
        access: requireRoles('analyst', 'supervisor'),
        audit: {
          action: 'triage_action',
          target: (request) => ({ type: 'report', id: paramsOf(request).reportId }),
          // A refusal by role comes before the body is read: no body, no reason.
          reason: (request) =>
            request.body === undefined ? null : auditReasonOf(request.body as ActionRequest),
        },
      },
      validatorCompiler: ({ schema }) => strict.compile(schema),
      schema: {
        tags: ['cases'],
        summary:
          'Act on a case: claim, assign, status, disposition, note, legal authority, tier override (supervisors)',
        description:
          'Audited first (action `triage_action`), then written to `triage.actions.v1` with acks=all, then answered 202; ' +
          'if either write fails the answer is 503 and the action is not done. The queue reflects it within seconds. ' +
          'Send `actionId` (or `Idempotency-Key`) to retry safely: the same id answers the same action.',
        params: reportIdParamsSchema,
        headers: actionHeadersSchema,
        body: actionBodySchema,
        response: { 202: recordedActionSchema, ...actionProblemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as ActionRequest;
      authorizeAction(request.principal!, body);
      const actionId = resolveActionId(
        body.actionId,
        request.headers['idempotency-key'] as string | undefined,
        randomUUID,
      );
      // The audit gate: a missing case is audited (0 results) before its 404, a failed lookup as
      // an error; the action is written only once its audit event is acknowledged.
      const planned = await audited(trail, request, async () => ({
        body: await plan(request, body, actionId),
        resultCount: 1,
      }));
      if (!planned.written) {
        try {
          await actions.write(planned.action);
        } catch (error) {
          await auditFailedWrite(trail, request);
          throw error;
        }
      }
      request.outcome = planned.replayed ? 'replayed' : 'accepted';
      if (planned.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(202).send(planned.action);
    },
  );
}
