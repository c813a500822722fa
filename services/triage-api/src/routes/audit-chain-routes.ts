import { requireRoles } from '@triage/auth';
import { createCodec } from '@triage/schemas';
import type { FastifyInstance } from 'fastify';
import { type AuditRecorder, audited } from '../audit/audited.ts';
import { chainStatusOf, maxChainFindings } from '../audit/chain-status.ts';
import { maxChainRecords, verifyIndexedChains } from '../search/audit-chain.ts';
import type { SearchDeps } from '../search/case-store.ts';

export interface AuditChainRoutesOptions {
  search: SearchDeps;
  trail: AuditRecorder;
  /** Epoch milliseconds; default: the system clock. */
  now?: () => number;
}

const nullable = (type: string) => ({ type: [type, 'null'] }) as const;

const chainStatusSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'status',
    'complete',
    'checkedAt',
    'records',
    'duplicates',
    'chains',
    'findingCount',
    'findings',
  ],
  description:
    'The audit index\u2019s hash chains verified from the documents\u2019 fields (what `triage audit verify --index` checks on the index alone). The index trails the audit topic by the indexer\u2019s latency, and a removed tail of a chain is not visible here; `triage audit verify --index` compares the index with the topic.',
  properties: {
    status: {
      type: 'string',
      enum: ['verified', 'broken', 'empty'],
      description: '`broken` when any finding; `empty` when no audit event is indexed yet',
    },
    complete: {
      type: 'boolean',
      description: `False when more than ${maxChainRecords} documents: the chains after them were not checked`,
    },
    checkedAt: { type: 'integer', description: 'When the check ran (epoch milliseconds)' },
    records: { type: 'integer', description: 'Audit documents read' },
    duplicates: { type: 'integer', description: 'Byte-identical re-writes of an event (a producer retry)' },
    chains: {
      type: 'array',
      description: 'One per writer chain (an API instance run): its length and head',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['chainId', 'events', 'lastSequence', 'lastHash', 'firstAt', 'lastAt'],
        properties: {
          chainId: { type: 'string' },
          events: { type: 'integer' },
          lastSequence: { type: 'integer' },
          lastHash: { type: 'string' },
          firstAt: { type: 'integer' },
          lastAt: { type: 'integer' },
        },
      },
    },
    findingCount: { type: 'integer', description: 'How many findings; at most the first listed' },
    findings: {
      type: 'array',
      description: `What does not check out (edited, removed, reordered, conflict, unchained, undecodable), at most ${maxChainFindings}`,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'chainId', 'sequence', 'position', 'detail'],
        properties: {
          kind: { type: 'string' },
          chainId: nullable('string'),
          sequence: nullable('integer'),
          position: { type: 'integer', description: 'The document\u2019s place in chain order' },
          detail: { type: 'string' },
        },
      },
    },
  },
} as const;

/** `GET /v1/audit/chain`: the audit page's chain status (auditors). */
export async function auditChainRoutes(
  app: FastifyInstance,
  options: AuditChainRoutesOptions,
): Promise<void> {
  const { search, trail } = options;
  const now = options.now ?? Date.now;
  const codec = createCodec();

  app.get(
    '/v1/audit/chain',
    {
      config: {
        access: requireRoles('auditor'),
        audit: { action: 'view_audit', target: () => ({ type: 'none', id: null }) },
      },
      schema: {
        tags: ['audit'],
        summary: 'The hash chains of the indexed audit trail, verified: status, chain heads, findings',
        response: { 200: chainStatusSchema },
      },
    },
    async (request) =>
      audited(trail, request, async () => {
        const checkedAt = now();
        const { verification, complete } = await verifyIndexedChains(search, codec);
        const body = chainStatusOf(verification, { complete, checkedAt });
        return { body, resultCount: body.chains.length };
      }),
  );
}
