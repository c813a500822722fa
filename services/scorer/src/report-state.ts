import type { KeyedStateStore } from '@triage/messaging';
import type { EnrichedItem, Report } from '@triage/schemas';

/**
 * The scorer's per-partition state: the latest version of each report, and the items of each
 * report's current version by item id. Two stores in production (`scorer.reports` keyed by
 * report id, `scorer.items` keyed by item id and grouped by report id, because a viral report's
 * thousands of items would not fit one record); plain maps in unit tests.
 */
export interface ReportState {
  report(partition: number, reportId: string): Report | undefined;
  putReport(partition: number, report: Report): void;
  /** The items held for a report, by item id. */
  items(partition: number, reportId: string): ReadonlyMap<string, EnrichedItem>;
  putItem(partition: number, item: EnrichedItem): void;
  deleteItem(partition: number, itemId: string): void;
  /** Every report held in a partition. */
  reports(partition: number): Iterable<Report>;
  /** Partitions held (restored) here. */
  partitions(): readonly number[];
}

export function storeState(
  reports: KeyedStateStore<Report>,
  items: KeyedStateStore<EnrichedItem>,
): ReportState {
  return {
    report: (partition, reportId) => reports.get(partition, reportId),
    putReport: (partition, report) => reports.put(partition, report.reportId, report),
    items: (partition, reportId) => items.group(partition, reportId),
    putItem: (partition, item) => items.put(partition, item.item.itemId, item),
    deleteItem: (partition, itemId) => items.delete(partition, itemId),
    *reports(partition) {
      for (const [, report] of reports.entries(partition)) yield report;
    },
    // Items without their report yet are not scored, so the report store's partitions are the ones that matter.
    partitions: () => reports.held.filter((partition) => items.held.includes(partition)),
  };
}

/** Items are grouped under their report in the item store. */
export const itemGroup = (_itemId: string, item: EnrichedItem) => item.item.reportId;
