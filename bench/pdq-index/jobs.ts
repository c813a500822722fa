/** Messages between the suite (bench/pdq-index/index.ts) and its child process (worker.ts). */

export interface IndexJob {
  readonly kind: 'index';
  readonly hashes: number;
  readonly seed: number;
  /** Single-hash queries timed on the index (each run `passes` times; the median per query counts). */
  readonly queries: number;
  /** Queries of 8 variants timed on the index. */
  readonly variantQueries: number;
  readonly passes: number;
  /** Single-hash queries also run on the linear scan (timed, and compared for recall). */
  readonly linearQueries: number;
  /** 8-variant queries also run on the linear scan. */
  readonly linearVariantQueries: number;
  /** Share of the rows added (and, separately, removed) after the build for the update check. */
  readonly churn: number;
  readonly maxDistance: number;
}

export interface ExactJob {
  readonly kind: 'exact';
  readonly hashes: number;
  readonly lookups: number;
  readonly store: 'exact-hash-set' | 'map';
}

export type Job = IndexJob | ExactJob;

export interface Latency {
  readonly count: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export interface DataShape {
  readonly families: number;
  readonly familyRows: number;
  readonly largestFamily: number;
  readonly familiesOver1000: number;
}

export interface IndexResult {
  readonly kind: 'index';
  readonly hashes: number;
  readonly data: DataShape;
  readonly generateMs: number;
  readonly addMs: number;
  readonly buildMs: number;
  readonly indexBytes: number;
  readonly storeBytes: number;
  readonly idTableBytes: number;
  readonly memoryBytes: number;
  readonly rssDeltaBytes: number;
  readonly peakRssBytes: number;
  readonly single: Latency;
  readonly variants: Latency;
  readonly linearSingle: Latency;
  readonly linearVariants: Latency;
  /** Mean matches per single-hash query, and the share of queries with at least one. */
  readonly meanMatches: number;
  readonly hitShare: number;
  /** Queries whose index result equalled the linear scan's, of those compared. */
  readonly recall: { readonly identical: number; readonly compared: number };
  readonly afterUpdates: {
    readonly added: number;
    readonly removed: number;
    readonly segments: number;
    readonly tailRows: number;
    readonly maintenanceMs: number;
    readonly single: Latency;
  };
  /** 1-minute load average when the job started and ended (other work on the machine skews timings). */
  readonly loadAverage: readonly [number, number];
}

export interface ExactResult {
  readonly kind: 'exact';
  readonly store: ExactJob['store'];
  readonly hashes: number;
  readonly buildMs: number;
  /** Bytes the store reports (typed arrays) or, for the Map, the heap growth. */
  readonly reportedBytes: number | undefined;
  readonly heapAndBuffersDeltaBytes: number;
  readonly rssDeltaBytes: number;
  readonly lookupsPerSecond: number;
}

export type JobResult = IndexResult | ExactResult;
