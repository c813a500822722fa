import type { DiskTable } from '@triage/messaging';
import { recordExamples as examples } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { applyStatus, type ReceiptTables, usageKey, utcDay } from './receipt-rows.ts';

function memoryTable<V>(): DiskTable<V> & { rows: Map<string, V> } {
  const rows = new Map<string, V>();
  return {
    rows,
    get: (key) => rows.get(key),
    keys: (prefix = '') => [...rows.keys()].filter((key) => key.startsWith(prefix)).sort(),
    entries: () => [...rows].sort(([a], [b]) => (a < b ? -1 : 1)),
    count: () => rows.size,
    put: (key, value) => void rows.set(key, value),
    remove: (key) => void rows.delete(key),
  };
}

function tables() {
  return { receipts: memoryTable(), splits: memoryTable(), versions: memoryTable(), usage: memoryTable() };
}

const receivedAt = Date.parse('2026-12-05T10:00:00Z');
const receipt = (bundleId: string, reports: [string, number][], byteCount = 1_000) => ({
  ...examples.BundleStatus,
  bundleId,
  partnerId: 'hotline-test',
  receivedAt,
  stage: 'received' as const,
  byteCount,
  reports: reports.map(([reportId, version]) => ({
    ...examples.BundleStatus.reports[0]!,
    reportId,
    version,
  })),
});
const today = usageKey('hotline-test', '2026-12-05');

describe('receipt rows', () => {
  it('given two receipts, when applied, then the day counts both and versions keep the highest', () => {
    const state = tables();
    applyStatus(
      state as ReceiptTables,
      'b1',
      receipt(
        'b1',
        [
          ['p:1', 1],
          ['p:2', 1],
        ],
        500,
      ),
    );
    applyStatus(state as ReceiptTables, 'b2', receipt('b2', [['p:1', 2]], 700));
    expect(state.usage.get(today)).toEqual({ bundles: 2, reports: 3, bytes: 1_200 });
    expect(state.versions.get('p:1')).toBe(2);
    expect(state.versions.get('p:2')).toBe(1);
    expect(state.receipts.get('b2')).toMatchObject({ bundleId: 'b2' });
  });

  it('given a receipt applied, when it is applied again (read back from the topic), then it counts once', () => {
    const state = tables();
    const value = receipt('b1', [['p:1', 1]]);
    applyStatus(state as ReceiptTables, 'b1', value);
    applyStatus(state as ReceiptTables, 'b1', value);
    expect(state.usage.get(today)).toEqual({ bundles: 1, reports: 1, bytes: 1_000 });
  });

  it('given a receipt, when its tombstone arrives, then the receipt and its usage go and the version stays', () => {
    const state = tables();
    applyStatus(state as ReceiptTables, 'b1', receipt('b1', [['p:1', 3]]));
    applyStatus(state as ReceiptTables, 'b1', null);
    expect(state.receipts.get('b1')).toBeUndefined();
    expect(state.usage.rows.size).toBe(0);
    expect(state.versions.get('p:1')).toBe(3);
  });

  it('given a split status, when applied, then it is kept apart from the receipt and counts nothing', () => {
    const state = tables();
    applyStatus(state as ReceiptTables, 'b1#split', { ...receipt('b1', [['p:1', 1]]), stage: 'split' });
    expect(state.splits.get('b1')).toMatchObject({ stage: 'split' });
    expect(state.receipts.get('b1')).toBeUndefined();
    expect(state.usage.rows.size).toBe(0);
    applyStatus(state as ReceiptTables, 'b1#split', null);
    expect(state.splits.get('b1')).toBeUndefined();
  });

  it('given a time just before midnight UTC, when its day is taken, then it is that UTC day', () => {
    expect(utcDay(Date.parse('2026-12-05T23:59:59.999Z'))).toBe('2026-12-05');
    expect(utcDay(Date.parse('2026-12-06T00:00:00Z'))).toBe('2026-12-06');
  });
});
