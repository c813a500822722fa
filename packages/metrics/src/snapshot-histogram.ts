import type { HandlingHistogram } from '@triage/messaging';
import { Histogram } from 'prom-client';

export interface SnapshotHistogramOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Read at every scrape: each series' labels and its buckets as the runner counted them. */
  read: () => ReadonlyArray<{ labels: Record<L, string>; histogram: HandlingHistogram }>;
}

interface HistogramSample {
  metricName: string;
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
}

/**
 * A histogram whose buckets are counted elsewhere (the consumer runner's fixed buckets, so
 * @triage/messaging needs no metrics library), rendered at scrape time as prom-client renders its
 * own: cumulative `_bucket{le}`, then `+Inf`, `_sum`, `_count`.
 *
 * prom-client has no public way to set a histogram's buckets, so this overrides the method its
 * registry reads (and `get()` calls), `getForPromString`, of the pinned 15.1.x; the unit test
 * pins the rendered text, so an upgrade that renames it fails there.
 */
export class SnapshotHistogram<L extends string> extends Histogram<L> {
  readonly #options: SnapshotHistogramOptions<L>;

  constructor(options: SnapshotHistogramOptions<L>) {
    super({ name: options.name, help: options.help, labelNames: options.labelNames, registers: [] });
    this.#options = options;
  }

  async getForPromString() {
    const { name, help, read } = this.#options;
    const values: HistogramSample[] = [];
    const sample = (suffix: string, labels: Record<string, string | number>, value: number) =>
      values.push({ metricName: `${name}${suffix}`, labels, sharedLabels: {}, value });
    for (const { labels, histogram } of read()) {
      let cumulative = 0;
      histogram.bounds.forEach((bound, index) => {
        cumulative += histogram.counts[index] ?? 0;
        sample('_bucket', { ...labels, le: bound }, cumulative);
      });
      sample('_bucket', { ...labels, le: '+Inf' }, histogram.count);
      sample('_sum', { ...labels }, histogram.sum);
      sample('_count', { ...labels }, histogram.count);
    }
    return { name, help, type: 'histogram', values, aggregator: 'sum' };
  }
}
