export {
  type CategoryActionType,
  CategoryLedger,
  type CategoryLedgerRows,
  type CategoryRefusal,
  type CategoryState,
  type CategoryStep,
  categoryActionTypes,
  decideCategory,
  type ItemHashes,
  vicsCategories,
} from './confirmed/category-rules.ts';
export {
  ConfirmedListWriter,
  type ConfirmedListWriterOptions,
  defaultConfirmedList,
} from './confirmed/confirmed-list-writer.ts';
export {
  type FollowedLedger,
  type FollowedLedgerOptions,
  followedLedger,
} from './confirmed/followed-ledger.ts';
export {
  checkExportRequest,
  type ExportFormat,
  exportFormats,
  formatList,
  readListEntries,
} from './export/export-list.ts';
export { type HashListFile, openHashListFile } from './file-source.ts';
export { assertTopicExists, currentListKeys } from './import/current-list-keys.ts';
export { type ImportHashListResult, importHashList } from './import/import-hash-list.ts';
export type { ImportHashListOptions, ImportMode, ImportProgress } from './import/import-options.ts';
export { knownHashKey, type ListStamp, listNamePattern, noMediaFacts, toKnownHash } from './known-hash.ts';
export {
  hashTypeOfKey,
  type IndexedType,
  type KnownHashHit,
  KnownHashIndex,
  type KnownHashIndexOptions,
} from './known-hash-index.ts';
export {
  hashTypeFromName,
  hexLengths,
  normaliseHash,
  parseCategory,
  parseFlag,
  usCategoryLabels,
} from './normalise.ts';
export {
  deduplicated,
  type HashListFormatOption,
  type HashListReader,
  type ReadHashListOptions,
  readHashList,
} from './read-hash-list.ts';
export { countsTable, formatImportReport, type ImportReportOptions } from './report/import-report.ts';
export { type CategoryKey, categoryKey, type HashListCounts, HashListTally } from './tally.ts';
export type {
  HashEntry,
  HashListFormatInfo,
  HashListItem,
  HashListSource,
  InvalidReason,
  InvalidRow,
  SkippedRow,
  SkipReason,
} from './types.ts';
export { parseVicsContext, type VicsContext } from './vics/vics-context.ts';
