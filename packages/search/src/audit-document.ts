import type { estypes } from '@elastic/elasticsearch';
import type { AuditEvent } from '@triage/schemas';
import { documentId } from './document-id.ts';
import type { SearchClient } from './search-client.ts';

/** AuditEvent v2's link in its writer's hash chain (null on v1 events). */
export interface AuditChainFields {
  chainId: string;
  sequence: number;
  previousHash: string;
  hash: string;
}

/**
 * An audit document: the event as it is, flattened for filters, with its hash-chain link when it
 * has one. Kept in this one module so the AuditEvent versions meet here: v1 events (no chain) and
 * v2 events (`chain`) fit the same mapping, and `triage audit verify` can check the index copy.
 */
export interface AuditDocument {
  eventId: string;
  actor: string;
  role: string;
  action: string;
  targetType: string;
  targetId: string | null;
  query: string | null;
  resultCount: number | null;
  reason: string | null;
  requestId: string | null;
  outcome: string;
  at: number;
  chain: AuditChainFields | null;
}

/** Deterministic id: the event id; events never change, so it is written with `create`. */
export function auditDocument(event: AuditEvent): { id: string; document: AuditDocument } {
  // v2 events carry `chain`; read structurally so v1 and v2 records build the same way.
  const chain = (event as AuditEvent & { chain?: AuditChainFields | null }).chain ?? null;
  return {
    id: documentId(event.eventId),
    document: {
      eventId: event.eventId,
      actor: event.actor,
      role: event.role,
      action: event.action,
      targetType: event.target.type,
      targetId: event.target.id,
      query: event.query,
      resultCount: event.resultCount,
      reason: event.reason,
      requestId: event.requestId,
      outcome: event.outcome,
      at: event.at,
      chain:
        chain === null
          ? null
          : {
              chainId: chain.chainId,
              sequence: chain.sequence,
              previousHash: chain.previousHash,
              hash: chain.hash,
            },
    },
  };
}

/** The event an audit document was made from (`auditDocument` read backwards), for `triage audit verify --index`. */
export function auditEventOfDocument(document: AuditDocument): AuditEvent {
  return {
    eventId: document.eventId,
    actor: document.actor,
    role: document.role as AuditEvent['role'],
    action: document.action as AuditEvent['action'],
    target: { type: document.targetType as AuditEvent['target']['type'], id: document.targetId },
    query: document.query,
    resultCount: document.resultCount,
    reason: document.reason,
    requestId: document.requestId,
    outcome: document.outcome as AuditEvent['outcome'],
    at: document.at,
    chain: document.chain,
  };
}

/** How many audit documents one page of `readAuditDocuments` fetches. */
const auditPageSize = 1_000;

/**
 * Every document of the audit alias in chain order (chain id, then sequence; unchained events
 * last), page by page with `search_after`, so memory stays one page whatever the trail's size.
 */
export async function* readAuditDocuments(
  client: SearchClient,
  alias: string,
): AsyncGenerator<AuditDocument> {
  let after: estypes.SortResults | undefined;
  for (;;) {
    const page = await client.search<AuditDocument>({
      index: alias,
      size: auditPageSize,
      query: { match_all: {} },
      sort: [
        { 'chain.chainId': { order: 'asc', missing: '_last' } },
        { 'chain.sequence': { order: 'asc', missing: '_last' } },
        { eventId: 'asc' },
      ],
      ...(after === undefined ? {} : { search_after: after }),
    });
    const hits = page.hits.hits;
    for (const hit of hits) if (hit._source !== undefined) yield hit._source;
    if (hits.length < auditPageSize) return;
    after = hits.at(-1)!.sort;
  }
}
