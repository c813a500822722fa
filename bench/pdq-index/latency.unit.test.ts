import { describe, expect, it } from 'vitest';
import { summarizeLatency } from './latency.ts';

describe('latency summary', () => {
  it('uses the median of the passes per query, so one disturbed pass does not count', () => {
    const summary = summarizeLatency([
      [1, 2, 3, 4],
      [1, 90, 3, 4],
      [1, 2, 3, 4],
    ]);
    expect(summary).toEqual({ count: 4, p50Ms: 2, p90Ms: 4, p99Ms: 4, maxMs: 4, meanMs: 2.5 });
  });
});
