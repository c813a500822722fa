import { describe, expect, it } from 'vitest';
import { latencyTable, searchableTable } from './search-tables.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('latencyTable', () => {
  it('given an overall p95 under the goal, when rendered, then the goal is met and ratios are against the baseline p95', () => {
    const rows = [
      { name: 'default queue', api: range(1, 100), es: range(1, 100), hits: [10, 20, 30] },
      { name: '**all queue queries**', api: range(1, 100), es: range(1, 100), hits: [10] },
    ];
    const { markdown, goalMet } = latencyTable(
      rows,
      range(1, 100).map((v) => v / 5),
      100,
    );
    expect(goalMet).toBe(true);
    // p95 95 ms against a baseline p95 of 19 ms.
    expect(markdown).toContain(
      '| default queue | 100 | 20 | 50 | 95 | 99 | 50 | 95 | 99 | 5.00× | 5.00× | yes |',
    );
  });

  it('given an overall p95 at the goal, when rendered, then the goal is not met', () => {
    const slow = {
      name: '**all queue queries**',
      api: range(1, 100).map((v) => v + 5),
      es: range(1, 100),
      hits: [1],
    };
    expect(latencyTable([slow], [1], 100).goalMet).toBe(false);
  });
});

describe('searchableTable', () => {
  it('given latencies in ms, when rendered, then percentiles are in seconds and the goal compares the p95', () => {
    const { markdown, goalMet } = searchableTable(
      range(1, 100).map((v) => v * 60),
      5_000,
    );
    expect(markdown).toContain('| 100 | 3.00 | 5.70 | 5.94 | 6.00 |');
    expect(goalMet).toBe(false);
  });
});
