import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatency } from './latency.ts';

describe('latency summary', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it('uses the median of the passes per query, so one disturbed pass does not count', () => {
    const summary = summarizeLatency([
      [1, 2, 3, 4],
      [1, 90, 3, 4],
      [1, 2, 3, 4],
    ]);
    expect(summary).toEqual({ count: 4, p50Ms: 2, p90Ms: 4, p99Ms: 4, maxMs: 4, meanMs: 2.5 });
  });
});
