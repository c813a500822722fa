export { type AuditEntry, auditEntryOf, auditEntryOfEvent } from './audit-entry.ts';
export { type AuditRecordInput, AuditTrail, type RecordedAudit } from './audit-trail.ts';
export type { AuditTrailOptions } from './audit-trail-options.ts';
export { genesisHash, hashOfEvent } from './chain-hash.ts';
export {
  type ChainBehind,
  type CopyComparison,
  CopyHeadWatch,
  compareAuditCopies,
} from './compare-copies.ts';
export { type VerifyAuditTopicOptions, verifyAuditTopic } from './verify-topic.ts';
export {
  type AuditFinding,
  type AuditFindingKind,
  AuditTrailVerifier,
  type AuditVerification,
  type ChainSummary,
  verifyAuditTrail,
} from './verify-trail.ts';
