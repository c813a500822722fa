export { actionDocument } from './action-document.ts';
export {
  type AuditChainFields,
  type AuditDocument,
  auditDocument,
  auditEventOfDocument,
  readAuditDocuments,
} from './audit-document.ts';
export { type BulkItemOutcome, type BulkItemResult, classifyBulkItem } from './bulk-outcome.ts';
export {
  applyAction,
  type CaseChanges,
  type CaseDocument,
  type CaseGuardView,
  type CaseRank,
  type CaseWrite,
  caseGuardFields,
  caseRank,
  compareCaseRank,
  emptyTriageState,
  newerCase,
  planCaseWrite,
  type ReportText,
  reportText,
  type TriageState,
} from './case-document.ts';
export { documentId } from './document-id.ts';
export {
  type IndexNames,
  type IndexSpec,
  indexNames,
  indexPrefix,
  indexTemplate,
  type SearchIndexId,
  searchIndices,
} from './index-catalogue.ts';
export {
  ensureSearchIndices,
  ensureSearchIndicesWhenReachable,
  type IndexSetupOptions,
  promoteAlias,
} from './index-setup.ts';
export {
  type IndexerGroup,
  indexerGroupId,
  indexerGroups,
  indexerGroupsIn,
  indicesWrittenIn,
} from './indexer-groups.ts';
export { type ItemDocument, itemDocument } from './item-document.ts';
export {
  type MediaChanges,
  type MediaDocument,
  mediaReportIdLimit,
  mergeMediaDocument,
} from './media-document.ts';
export {
  type PdqSegmentTerms,
  pdqSegmentMaxDistance,
  pdqSegments,
  pdqSegmentTerms,
} from './pdq-segments.ts';
export {
  type ErasedDocuments,
  eraseReportDocuments,
  findReportDocuments,
  mediaWithoutReport,
  otherReportsCarrying,
  type ReportDocuments,
  type StoredDocument,
} from './report-documents.ts';
export {
  createSearchClient,
  type SearchClient,
  type SearchClientOptions,
  searchError,
} from './search-client.ts';
