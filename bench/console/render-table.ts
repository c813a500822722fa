// The console suite's table: render times per measurement against the baseline, and the share of
// each that the API request took. Pure (milliseconds in, markdown out).
import { formatFixed, formatInt, formatRatio, percentile } from '../lib/stats.ts';

/** One measured path: what the analyst waits for, and the API request inside it. */
export interface RenderSamples {
  name: string;
  /** Until the element is visible, ms. */
  render: readonly number[];
  /** The API request of the same runs (the browser's resource timing), ms; empty when none. */
  api: readonly number[];
}

const ms = (value: number) => formatFixed(value, value < 10 ? 1 : 0);
const cell = (values: readonly number[], p: number) => (values.length === 0 ? '' : ms(percentile(values, p)));

/**
 * One row per path: n, p50/p95 of the render, p50 of its API request, and p50/p95 against the
 * baseline's p50/p95; the baseline last, at 1.00x.
 */
export function renderTable(rows: readonly RenderSamples[], baseline: readonly number[]): string {
  const baseP50 = percentile(baseline, 0.5);
  const baseP95 = percentile(baseline, 0.95);
  return [
    '| Measured | n | p50 ms | p95 ms | its API request p50 ms | p50 vs baseline | p95 vs baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${formatInt(row.render.length)} | ${cell(row.render, 0.5)} | ${cell(row.render, 0.95)} | ${cell(row.api, 0.5)} | ${formatRatio(percentile(row.render, 0.5), baseP50)} | ${formatRatio(percentile(row.render, 0.95), baseP95)} |`,
    ),
    `| \`/openapi.json\` loaded (baseline) | ${formatInt(baseline.length)} | ${cell(baseline, 0.5)} | ${cell(baseline, 0.95)} | | 1.00× | 1.00× |`,
  ].join('\n');
}

/** Runs per measurement: 30 at full scale, fewer in a reduced run, never under 5. */
export function runsFor(scale: number): number {
  return Math.max(5, Math.round(30 * Math.min(1, scale)));
}
