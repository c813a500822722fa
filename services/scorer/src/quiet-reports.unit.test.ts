import { describe, expect, it } from 'vitest';
import { decideQuiet } from './quiet-reports.ts';

const base = {
  since: 1_000,
  now: 1_000,
  quietMs: 60_000,
  openWindowMs: 600_000,
  seen: 2,
  expected: 3,
  shown: undefined,
  final: false,
};

describe('decideQuiet', () => {
  it('given a report that changed less than quietMs ago, when checked, then it waits', () => {
    expect(decideQuiet({ ...base, now: 60_999 })).toBe('wait');
  });

  it('given an incomplete report quiet for quietMs, when checked, then its case is written', () => {
    expect(decideQuiet({ ...base, now: 61_000 })).toBe('write');
  });

  it('given a quiet report already shown with the same item count, when checked again, then it waits', () => {
    expect(decideQuiet({ ...base, now: 200_000, shown: { seen: 2, links: '' } })).toBe('wait');
  });

  it('given a quiet report shown with fewer items, when checked, then its case is written again', () => {
    expect(decideQuiet({ ...base, now: 200_000, shown: { seen: 1, links: '' } })).toBe('write');
  });

  it('given a quiet incomplete report never shown, when the open window has passed, then its case is still written (owed before it closes)', () => {
    expect(decideQuiet({ ...base, now: 10_000_000 })).toBe('write');
  });

  it('given a report shown with what it has, when unchanged for the open window, then it closes (off the heap)', () => {
    const shown = { seen: 2, links: '' };
    expect(decideQuiet({ ...base, now: 600_999, shown })).toBe('wait');
    expect(decideQuiet({ ...base, now: 601_000, shown })).toBe('close');
  });

  it('given a final or complete report, when unchanged for the open window, then it closes; before, it waits', () => {
    expect(decideQuiet({ ...base, now: 200_000, final: true })).toBe('wait');
    expect(decideQuiet({ ...base, now: 601_000, final: true })).toBe('close');
    expect(decideQuiet({ ...base, now: 601_000, seen: 3 })).toBe('close');
  });

  it('given items whose report has not come (nothing expected yet), when unchanged for the open window, then they close', () => {
    expect(decideQuiet({ ...base, now: 200_000, seen: 0, expected: 0 })).toBe('wait');
    expect(decideQuiet({ ...base, now: 601_000, seen: 0, expected: 0 })).toBe('close');
  });
});
