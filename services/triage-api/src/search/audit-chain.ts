import { AuditTrailVerifier, type AuditVerification, auditEntryOfEvent } from '@triage/audit';
import type { Codec } from '@triage/schemas';
import { auditEventOfDocument, readAuditDocuments } from '@triage/search';
import { alias, run, type SearchDeps } from './case-store.ts';

/**
 * Most audit documents one chain check reads (it reads them all, in chain order, page by page:
 * memory grows with chains, time with documents); beyond it the answer says it is not complete.
 */
export const maxChainRecords = 1_000_000;

/**
 * Verifies the hash chains of the audit index from the documents' fields, as
 * `triage audit verify --index` does on its own (without the topic to compare against).
 */
export async function verifyIndexedChains(
  deps: SearchDeps,
  codec: Codec,
  maxRecords = maxChainRecords,
): Promise<{ verification: AuditVerification; complete: boolean }> {
  return run('verify the audit chains', async () => {
    const verifier = new AuditTrailVerifier();
    let position = 0;
    for await (const document of readAuditDocuments(deps.client, alias(deps, 'audit'))) {
      if (position === maxRecords) return { verification: verifier.finish(), complete: false };
      verifier.add(auditEntryOfEvent(codec, auditEventOfDocument(document), position++));
    }
    return { verification: verifier.finish(), complete: true };
  });
}
