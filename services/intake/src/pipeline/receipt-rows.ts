import { isDeepStrictEqual } from 'node:util';
import { splitStatusKey } from '@triage/bundles';
import type { DiskTable } from '@triage/messaging';
import type { BundleStatus } from '@triage/schemas';

/** What one partner's accepted bundles added up to on one UTC day. */
export interface DailyUsage {
  bundles: number;
  reports: number;
  /** Media bytes (`byteCount` of the receipts). */
  bytes: number;
}

/** The tables of intake's receipt store. */
export interface ReceiptTables {
  /** bundleId -> its receipt. */
  receipts: DiskTable<BundleStatus>;
  /** bundleId -> the splitter's status. */
  splits: DiskTable<BundleStatus>;
  /** reportId -> the highest version any receipt gave it. */
  versions: DiskTable<number>;
  /** `partnerId/YYYY-MM-DD` -> the day's usage, from the receipts received that day. */
  usage: DiskTable<DailyUsage>;
}

export const receiptTableNames = ['receipts', 'splits', 'versions', 'usage'] as const;

const splitSuffix = splitStatusKey('');

/** The UTC day of an epoch-ms time, `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function usageKey(partnerId: string, day: string): string {
  return `${partnerId}/${day}`;
}

/**
 * Applies one record of the status topic (or a receipt just published) to the tables. Applying
 * the same record twice changes nothing: a receipt's usage is taken back before it is added
 * again, so a receipt read back from the topic after `record()` counts once.
 */
export function applyStatus(tables: ReceiptTables, key: string, value: BundleStatus | null): void {
  if (key.endsWith(splitSuffix)) {
    const bundleId = key.slice(0, -splitSuffix.length);
    if (value) tables.splits.put(bundleId, value);
    else tables.splits.remove(bundleId);
    return;
  }
  const previous = tables.receipts.get(key);
  // Its own receipt read back: already applied by `record()`, nothing to write.
  if (previous && value && isDeepStrictEqual(previous, value)) return;
  if (previous) addUsage(tables.usage, previous, -1);
  if (!value) {
    if (previous) tables.receipts.remove(key);
    return;
  }
  tables.receipts.put(key, value);
  addUsage(tables.usage, value, 1);
  for (const report of value.reports) {
    if (report.version > (tables.versions.get(report.reportId) ?? 0)) {
      tables.versions.put(report.reportId, report.version);
    }
  }
}

/** A day's usage with one receipt counted in (`sign` 1) or taken back out (-1). */
export function withReceipt(current: DailyUsage, receipt: BundleStatus, sign: 1 | -1): DailyUsage {
  return {
    bundles: current.bundles + sign,
    reports: current.reports + sign * receipt.reports.length,
    bytes: current.bytes + sign * receipt.byteCount,
  };
}

function addUsage(usage: ReceiptTables['usage'], receipt: BundleStatus, sign: 1 | -1): void {
  const key = usageKey(receipt.partnerId, utcDay(receipt.receivedAt));
  const next = withReceipt(usage.get(key) ?? { bundles: 0, reports: 0, bytes: 0 }, receipt, sign);
  if (next.bundles <= 0) usage.remove(key);
  else usage.put(key, next);
}
