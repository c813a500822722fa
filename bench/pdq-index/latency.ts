import { percentile } from '../lib/stats.ts';
import type { Latency } from './jobs.ts';

/**
 * Per-query latency over several passes of the same query list: each query's median over the passes
 * (a pass or two disturbed by another process, GC or a page fault does not count), then percentiles
 * over the queries.
 */
export function summarizeLatency(passes: readonly (readonly number[])[]): Latency {
  const count = passes[0]?.length ?? 0;
  const perQuery: number[] = [];
  for (let i = 0; i < count; i++) {
    const times = passes.map((pass) => pass[i]!).sort((a, b) => a - b);
    perQuery.push(times[(times.length - 1) >> 1]!);
  }
  const sorted = [...perQuery].sort((a, b) => a - b);
  return {
    count,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1)!,
    meanMs: perQuery.reduce((sum, t) => sum + t, 0) / count,
  };
}
