// The search suite's tables: latency percentiles per query kind against the baseline, and the
// searchable latency, with whether each goal is met. Pure (numbers in, markdown out).
import { formatFixed, formatInt, formatRatio, median, percentile } from '../lib/stats.ts';

/** The timings of one row, in milliseconds. */
export interface NamedSamples {
  name: string;
  /** Through the API. */
  api: readonly number[];
  /** The same Elasticsearch requests alone. */
  es: readonly number[];
  /** Total hits of each answer. */
  hits: readonly number[];
}

const ms = (value: number) => formatFixed(value, value < 10 ? 1 : 0);
const triple = (values: readonly number[]) =>
  [0.5, 0.95, 0.99].map((p) => ms(percentile(values, p))).join(' | ');

/**
 * One row per kind: API and ES-alone p50/p95/p99, the API p95 against the baseline's p95, and
 * whether the API p95 is under the goal. The goal counts as met when the row named like
 * `all queue queries` is under it (every kind's samples together).
 */
export function latencyTable(
  rows: readonly NamedSamples[],
  baseline: readonly number[],
  goalMs: number,
): { markdown: string; goalMet: boolean } {
  const baseP95 = percentile(baseline, 0.95);
  const lines = [
    '| Query | n | Hits (median) | API p50 ms | API p95 ms | API p99 ms | ES alone p50 ms | ES p95 ms | ES p99 ms | API p95 vs baseline | ES p95 vs baseline | API p95 < goal |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
    ...rows.map((row) => {
      const apiP95 = percentile(row.api, 0.95);
      return `| ${row.name} | ${formatInt(row.api.length)} | ${formatInt(median(row.hits))} | ${triple(row.api)} | ${triple(row.es)} | ${formatRatio(apiP95, baseP95)} | ${formatRatio(percentile(row.es, 0.95), baseP95)} | ${apiP95 < goalMs ? 'yes' : '**no**'} |`;
    }),
    `| bare \`match_all\`, size 50 (baseline) | ${formatInt(baseline.length)} | | | | | ${triple(baseline)} | | 1.00× | |`,
  ];
  const overall = rows.find((row) => row.name.includes('all queue queries'));
  const goalMet = overall !== undefined && percentile(overall.api, 0.95) < goalMs;
  return { markdown: lines.join('\n'), goalMet };
}

/** p50/p95/p99/max of the produce-acknowledged-to-searchable latencies (ms in, seconds shown). */
export function searchableTable(
  latencies: readonly number[],
  goalMs: number,
): { markdown: string; goalMet: boolean } {
  const s = (value: number) => formatFixed(value / 1000, 2);
  const p95 = percentile(latencies, 0.95);
  const markdown = [
    '| Cases | p50 s | p95 s | p99 s | max s |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${formatInt(latencies.length)} | ${s(percentile(latencies, 0.5))} | ${s(p95)} | ${s(percentile(latencies, 0.99))} | ${s(Math.max(...latencies))} |`,
  ].join('\n');
  return { markdown, goalMet: p95 < goalMs };
}
