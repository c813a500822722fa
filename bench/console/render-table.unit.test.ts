import { describe, expect, it } from 'vitest';
import { renderTable, runsFor } from './render-table.ts';

describe('renderTable', () => {
  it('given render and API samples and a baseline, then p50/p95 per row and the ratios against the baseline', () => {
    const queue = Array.from({ length: 20 }, (_, n) => 100 + n * 10); // 100..290
    const baseline = Array.from({ length: 20 }, (_, n) => 10 + n); // 10..29
    const table = renderTable([{ name: 'queue', render: queue, api: [20, 30, 40] }], baseline);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    // Nearest rank: p50 of 20 values is the 10th (190), p95 the 19th (280); baseline 19 and 28.
    expect(lines[2]).toBe('| queue | 20 | 190 | 280 | 30 | 10.00× | 10.00× |');
    expect(lines[3]).toBe('| `/openapi.json` loaded (baseline) | 20 | 19 | 28 | | 1.00× | 1.00× |');
  });

  it('given sub-10 ms values and no API request, then one decimal and an empty API cell', () => {
    const table = renderTable([{ name: 'tiny', render: [4.25, 4.25], api: [] }], [2, 2]);
    expect(table.split('\n')[2]).toBe('| tiny | 2 | 4.3 | 4.3 |  | 2.13× | 2.13× |');
  });
});

describe('runsFor', () => {
  it('given the full scale, a tenth and a tiny scale, then 30, 5 (the floor) and 5', () => {
    expect(runsFor(1)).toBe(30);
    expect(runsFor(2)).toBe(30);
    expect(runsFor(0.1)).toBe(5);
    expect(runsFor(0.5)).toBe(15);
  });
});
