import type { HashListItem, InvalidReason, InvalidRow, SkippedRow, SkipReason } from './types.ts';

/** `0`..`n` for a category, `null` for uncategorised. */
export type CategoryKey = string;

export interface HashListCounts {
  /** Source records read: VICS Media records (and non-object elements), CSV data rows. */
  records: number;
  /** Distinct entries (one per hash) that are (or would be) published. */
  entries: number;
  byHashType: Record<string, number>;
  byCategory: Record<CategoryKey, number>;
  /** hashType -> category -> entries. */
  byHashTypeAndCategory: Record<string, Record<CategoryKey, number>>;
  /** Repeated (hashType, value) pairs dropped; `conflicts` of them had another category. */
  duplicates: number;
  conflicts: number;
  /** Invalid records or hashes, all counted; the first `maxRowsKept` kept with their position. */
  invalid: number;
  invalidByReason: Partial<Record<InvalidReason, number>>;
  invalidRows: InvalidRow[];
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  skippedRows: SkippedRow[];
  /** Positions of the first duplicates whose category differs from the first occurrence. */
  conflictRows: {
    position: string;
    hashType: string;
    category: number | null;
    firstCategory: number | null;
  }[];
}

export function categoryKey(category: number | null): CategoryKey {
  return category === null ? 'null' : String(category);
}

/** Counts what a hash list yields; keeps at most `maxRowsKept` example rows of each problem kind. */
export class HashListTally {
  readonly counts: HashListCounts = {
    records: 0,
    entries: 0,
    byHashType: {},
    byCategory: {},
    byHashTypeAndCategory: {},
    duplicates: 0,
    conflicts: 0,
    invalid: 0,
    invalidByReason: {},
    invalidRows: [],
    skipped: 0,
    skippedByReason: {},
    skippedRows: [],
    conflictRows: [],
  };
  readonly #maxRowsKept: number;

  constructor(maxRowsKept = 1000) {
    this.#maxRowsKept = maxRowsKept;
  }

  add(item: HashListItem): void {
    const counts = this.counts;
    switch (item.kind) {
      case 'record':
        counts.records++;
        return;
      case 'entry': {
        const { hashType, category } = item.entry;
        const key = categoryKey(category);
        counts.entries++;
        counts.byHashType[hashType] = (counts.byHashType[hashType] ?? 0) + 1;
        counts.byCategory[key] = (counts.byCategory[key] ?? 0) + 1;
        counts.byHashTypeAndCategory[hashType] ??= {};
        const row = counts.byHashTypeAndCategory[hashType];
        row[key] = (row[key] ?? 0) + 1;
        return;
      }
      case 'duplicate':
        counts.duplicates++;
        if (item.conflict) {
          counts.conflicts++;
          if (counts.conflictRows.length < this.#maxRowsKept) {
            counts.conflictRows.push({
              position: item.entry.position,
              hashType: item.entry.hashType,
              category: item.entry.category,
              firstCategory: item.firstCategory,
            });
          }
        }
        return;
      case 'invalid':
        counts.invalid++;
        counts.invalidByReason[item.row.reason] = (counts.invalidByReason[item.row.reason] ?? 0) + 1;
        if (counts.invalidRows.length < this.#maxRowsKept) counts.invalidRows.push(item.row);
        return;
      case 'skipped':
        counts.skipped++;
        counts.skippedByReason[item.row.reason] = (counts.skippedByReason[item.row.reason] ?? 0) + 1;
        if (counts.skippedRows.length < this.#maxRowsKept) counts.skippedRows.push(item.row);
        return;
    }
  }
}
