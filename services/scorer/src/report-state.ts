import type { KeyedStore } from '@triage/messaging';
import type { EnrichedItem, Report } from '@triage/schemas';

/**
 * The scorer's per-partition state: the latest version of each report, and the items of each
 * report's current version by item id. Two stores in production (`scorer.reports` keyed by
 * report id, `scorer.items` keyed by item id and grouped by report id, because a viral report's
 * thousands of items would not fit one record), on disk or in memory; plain maps in unit tests.
 * The narrow reads (`itemCount`, `hasItem`, `firstItem`) decode at most one value, so the hot path
 * does not read a report's every item from disk.
 */
export interface ReportState {
  report(partition: number, reportId: string): Report | undefined;
  putReport(partition: number, report: Report): void;
  /** Forgets a report (its items are deleted one by one): an erasure (ADR 0020). */
  deleteReport(partition: number, reportId: string): void;
  /** The items held for a report, by item id (every one decoded: for building its case). */
  items(partition: number, reportId: string): ReadonlyMap<string, EnrichedItem>;
  /** How many items are held for a report. */
  itemCount(partition: number, reportId: string): number;
  /** Whether this item is held for this report. */
  hasItem(partition: number, reportId: string, itemId: string): boolean;
  /** One item held for a report (they share a version), if any. */
  firstItem(partition: number, reportId: string): EnrichedItem | undefined;
  /** The ids of the items held for a report. */
  itemIds(partition: number, reportId: string): Iterable<string>;
  putItem(partition: number, item: EnrichedItem): void;
  deleteItem(partition: number, itemId: string): void;
  /** Every report held in a partition: a scan of the whole partition (restore and re-matching only). */
  reports(partition: number): Iterable<Report>;
  /** Every item held in a partition: a scan of the whole partition (re-matching only). */
  allItems(partition: number): Iterable<EnrichedItem>;
  /** Partitions held (restored) here. */
  partitions(): readonly number[];
  /** Partitions the group assigned here, restored or not. */
  assigned(): readonly number[];
}

export function storeState(reports: KeyedStore<Report>, items: KeyedStore<EnrichedItem>): ReportState {
  return {
    report: (partition, reportId) => reports.get(partition, reportId),
    putReport: (partition, report) => reports.put(partition, report.reportId, report),
    deleteReport: (partition, reportId) => reports.delete(partition, reportId),
    items: (partition, reportId) => items.group(partition, reportId),
    itemCount: (partition, reportId) => items.groupSize(partition, reportId),
    hasItem: (partition, reportId, itemId) => items.get(partition, itemId)?.item.reportId === reportId,
    firstItem(partition, reportId) {
      // A for-of left by `return` closes the iteration; on disk an iterator dropped after one
      // `next()` keeps its LMDB cursor and read snapshot open for good (native memory, file growth).
      for (const itemId of items.groupKeys(partition, reportId)) return items.get(partition, itemId);
      return undefined;
    },
    itemIds: (partition, reportId) => [...items.groupKeys(partition, reportId)],
    putItem: (partition, item) => items.put(partition, item.item.itemId, item),
    deleteItem: (partition, itemId) => items.delete(partition, itemId),
    *reports(partition) {
      for (const [, report] of reports.entries(partition)) yield report;
    },
    *allItems(partition) {
      for (const [, item] of items.entries(partition)) yield item;
    },
    // Items without their report yet are not scored, so the report store's partitions are the ones that matter.
    partitions: () => reports.held.filter((partition) => items.held.includes(partition)),
    assigned: () => reports.assigned,
  };
}

/** Items are grouped under their report in the item store. */
export const itemGroup = (_itemId: string, item: EnrichedItem) => item.item.reportId;
