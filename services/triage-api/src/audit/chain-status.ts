// The audit page's chain status: what verifying the audit index's hash chains found, shaped for
// a client (no Kafka offsets or bigints; findings capped). Pure; the reading is in search/audit-chain.ts.
import type { AuditFindingKind, AuditVerification } from '@triage/audit';

/** Most findings one answer lists; `findingCount` says how many there were. */
export const maxChainFindings = 100;

export interface ChainStatus {
  /** `verified`: every chain read checks out; `broken`: a finding; `empty`: no audit events indexed yet. */
  status: 'verified' | 'broken' | 'empty';
  /** False when the read stopped at the document cap: the chains after it were not checked. */
  complete: boolean;
  checkedAt: number;
  records: number;
  duplicates: number;
  chains: {
    chainId: string;
    events: number;
    lastSequence: number;
    lastHash: string;
    firstAt: number;
    lastAt: number;
  }[];
  findingCount: number;
  findings: {
    kind: AuditFindingKind;
    chainId: string | null;
    sequence: number | null;
    /** The document's place in chain order (chain id, then sequence). */
    position: number;
    detail: string;
  }[];
}

export function chainStatusOf(
  verification: AuditVerification,
  options: { complete: boolean; checkedAt: number },
): ChainStatus {
  const { findings } = verification;
  const status = findings.length > 0 ? 'broken' : verification.records === 0 ? 'empty' : 'verified';
  return {
    status,
    complete: options.complete,
    checkedAt: options.checkedAt,
    records: verification.records,
    duplicates: verification.duplicates,
    chains: verification.chains.map(({ partition: _partition, ...chain }) => chain),
    findingCount: findings.length,
    findings: findings.slice(0, maxChainFindings).map((finding) => ({
      kind: finding.kind,
      chainId: finding.chainId,
      sequence: finding.sequence,
      position: Number(finding.offset),
      detail: finding.detail,
    })),
  };
}
