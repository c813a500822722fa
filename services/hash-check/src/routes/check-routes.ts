import rateLimit from '@fastify/rate-limit';
import type { AuditRecordInput } from '@triage/audit';
import { TriageError, toTriageError } from '@triage/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedHoster } from '../hoster-directory.ts';
import { answerDeadline, waitUntil } from '../policy/answer-floor.ts';
import {
  answerCheck,
  type CheckAnswer,
  type CheckLimits,
  type CheckPlan,
  type CheckRequestBody,
  describeBatch,
  type HashLookup,
  planCheck,
} from '../policy/check-plan.ts';
import type { DailyHashQuota } from '../policy/daily-quota.ts';
import type { ProbeDetector } from '../policy/probe-detector.ts';
import { checkBodySchema, checkResponseSchema, problemResponses } from './schemas.ts';

export interface CheckRoutesOptions {
  hosters: { authenticate(authorization: string | undefined): AuthenticatedHoster };
  /** The lists' lookup (KnownHashIndex.lookup) and whether they are loaded. */
  lists: { lookup: HashLookup; ready: () => boolean };
  /** One event per batch, written (acks=all) before the answer. */
  audit: { record(input: AuditRecordInput): Promise<unknown> };
  detector: ProbeDetector;
  quota: DailyHashQuota;
  limits: CheckLimits;
  answerFloorMs: number;
  clock: () => number;
  /** Resolves at a deadline (epoch ms); tests pass one that records it. Default: a timer. */
  wait?: (deadline: number) => Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    hoster: AuthenticatedHoster | null;
    /** Counts of the batch for the request log (never a hash). */
    batch: string | null;
  }
}

const security = [{ hosterKey: [] }];

/** `POST /v1/hash-check`: authenticated, rate-limited per hoster, audited per batch. */
export async function checkRoutes(app: FastifyInstance, options: CheckRoutesOptions): Promise<void> {
  app.addHook('onRequest', async (request) => {
    request.hoster = options.hosters.authenticate(request.headers.authorization);
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    keyGenerator: (request) => request.hoster!.hosterId,
    max: async (request) => request.hoster!.rateLimit.max,
    timeWindow: async (request) => request.hoster!.rateLimit.timeWindow,
    errorResponseBuilder: (_request, context) =>
      new TriageError(
        'TRIAGE_RATE_LIMITED',
        `rate limit of ${context.max} batches reached; retry in ${context.after}`,
        {
          details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
        },
      ),
  });

  app.post<{ Body: CheckRequestBody }>(
    '/v1/hash-check',
    {
      schema: {
        tags: ['hash-check'],
        summary: 'Check a batch of hashes against the known lists: one match / no match per hash',
        description:
          'MD5, SHA-1, SHA-256 and PDQ hashes of files the hoster holds; never content. An answer says match or ' +
          'no match (and the category where the hoster policy gives it); never a label, list name, report id or ' +
          'distance. Every batch is audited and answered no sooner than the service floor, match or not.',
        security,
        body: checkBodySchema(options.limits.maxBatch),
        response: { 200: checkResponseSchema, ...problemResponses },
      },
    },
    async (request) => {
      const arrivedAt = options.clock();
      const wait = options.wait ?? ((deadline: number) => waitUntil(deadline, options.clock));
      try {
        return { answers: await checkBatch(request, options, arrivedAt) };
      } finally {
        // Refusals too: a refusal after the lookup (probing) must not answer sooner than a match.
        await wait(answerDeadline(arrivedAt, options.answerFloorMs));
      }
    },
  );
}

async function checkBatch(
  request: FastifyRequest<{ Body: CheckRequestBody }>,
  options: CheckRoutesOptions,
  arrivedAt: number,
): Promise<CheckAnswer[]> {
  const hoster = request.hoster!;
  let plan: CheckPlan | undefined;
  try {
    if (!options.lists.ready())
      throw new TriageError('TRIAGE_NOT_READY', 'the lists are still loading', { retryable: true });
    const throttledUntil = options.detector.throttledUntil(hoster.hosterId, arrivedAt);
    if (throttledUntil !== null) throw probing(throttledUntil, arrivedAt);
    plan = planCheck(request.body, hoster.policy, options.limits);
    options.quota.take(hoster.hosterId, plan.queries.length, hoster.hashesPerDay, arrivedAt);
    const answers = answerCheck(plan, options.lists.lookup);
    const pdq = plan.queries.flatMap((query, index) =>
      query.type === 'PDQ' ? [{ pdq: query.value, matched: answers[index]!.match }] : [],
    );
    const verdict = options.detector.observe(hoster.hosterId, pdq, options.clock());
    if (verdict.throttledUntil !== null) throw probing(verdict.throttledUntil, arrivedAt);
    request.batch = describeBatch(plan, answers);
    await options.audit.record(auditInput(request, request.batch, answers, 'allowed'));
    return answers;
  } catch (error) {
    const refusal = toTriageError(error);
    // Written before the refusal goes out; a refusal that cannot be audited is still a refusal.
    if (refusal.code !== 'TRIAGE_AUDIT_UNAVAILABLE') {
      const described = plan ? describeBatch(plan, []) : `hashes=${request.body.hashes.length}`;
      await options.audit
        .record({ ...auditInput(request, described, [], 'denied'), reason: refusal.code })
        .catch((auditError: unknown) => request.log.warn({ err: auditError }, 'refusal not audited'));
    }
    throw refusal;
  }
}

function probing(until: number, now: number): TriageError {
  return new TriageError('TRIAGE_HASH_CHECK_PROBING', 'hash checks of this hoster are paused', {
    details: { retryAfterSeconds: (until - now) / 1000 },
  });
}

/** The batch's audit event: who (hoster and key), counts per type, lists, matches; never a hash. */
function auditInput(
  request: FastifyRequest,
  described: string,
  answers: readonly CheckAnswer[],
  outcome: 'allowed' | 'denied',
): AuditRecordInput {
  const hoster = request.hoster!;
  return {
    actor: `${hoster.hosterId}/${hoster.keyId}`,
    // AuditEvent v2 has no hoster role: the target (type `hoster`) says who asked.
    role: 'unknown',
    action: 'lookup_hash',
    target: { type: 'hoster', id: hoster.hosterId },
    query: described,
    resultCount: answers.filter((answer) => answer.match).length,
    reason: null,
    requestId: request.id,
    outcome,
  };
}
