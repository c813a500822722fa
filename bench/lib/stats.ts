/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..1) of a non-empty list, in any order. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** `value / baseline`, formatted like `1.83×`; `n/a` when the baseline is zero or missing. */
export function formatRatio(value: number, baseline: number | undefined): string {
  if (baseline === undefined || baseline === 0 || !Number.isFinite(value / baseline)) return 'n/a';
  return `${(value / baseline).toFixed(2)}×`;
}

/** Thousands-separated integer, e.g. `12 345` (a thin space keeps tables narrow and unambiguous). */
export function formatInt(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/** Fixed decimals, e.g. `formatFixed(12.345, 1)` -> `12.3`. */
export function formatFixed(value: number, decimals: number): string {
  return value.toFixed(decimals);
}
