import { describe, expect, it } from 'vitest';
import { decideQuiet } from './quiet-reports.ts';

const base = { since: 1_000, now: 1_000, quietMs: 60_000, seen: 2, shown: undefined };

describe('decideQuiet', () => {
  it('given a report that changed less than quietMs ago, when checked, then it waits', () => {
    expect(decideQuiet({ ...base, now: 60_999 })).toBe('wait');
  });

  it('given a report quiet for quietMs, when checked, then its case is written', () => {
    expect(decideQuiet({ ...base, now: 61_000 })).toBe('write');
  });

  it('given a quiet report already shown with the same item count, when checked again, then it waits', () => {
    expect(decideQuiet({ ...base, now: 200_000, shown: { seen: 2, links: '' } })).toBe('wait');
  });

  it('given a quiet report shown with fewer items, when checked, then its case is written again', () => {
    expect(decideQuiet({ ...base, now: 200_000, shown: { seen: 1, links: '' } })).toBe('write');
  });

  it('given a report restored from the changelog (no known change), when checked, then its quiet time starts now', () => {
    expect(decideQuiet({ ...base, since: undefined, now: 10_000_000 })).toBe('start-clock');
  });
});
