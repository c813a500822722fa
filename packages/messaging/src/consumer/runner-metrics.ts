import type { PartitionedStore } from '../state/keyed-state-store.ts';

/**
 * Upper bounds (seconds) of the handling-time buckets: from a cheap lookup (~1 ms) to a large
 * bundle split or a record retried through a dependency outage (minutes land in the last).
 */
const handlingBucketBounds: readonly number[] = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** A histogram of handling times as fixed buckets: what a metrics endpoint renders, no library needed. */
export interface HandlingHistogram {
  /** Upper bounds in seconds, ascending (`handlingBucketBounds`). */
  bounds: readonly number[];
  /** Observations per bucket (not cumulative); one more entry than `bounds`: the overflow (+Inf). */
  counts: number[];
  /** Sum of all observations, seconds. */
  sum: number;
  count: number;
}

/** Where the runner is in its life: what a readiness probe decides on. */
export interface RunnerLifecycle {
  /** `start()` has opened the first stream. */
  started: boolean;
  /** The group has assigned this member its partitions at least once (possibly none). */
  joined: boolean;
  /** `stop()` was called: draining or stopped. */
  stopping: boolean;
  /** Partition numbers assigned here by the last rebalance. */
  partitions: number[];
}

/** Counters a runner exports; `snapshot()` is what a health or metrics endpoint serves. */
export interface RunnerMetricsSnapshot {
  stage: string;
  /** The consumer group (the runner's `groupId`). */
  groupId: string;
  consumed: number;
  /** Records acknowledged by the broker: outputs, dead letters and state changelog writes. */
  produced: number;
  deadLettered: number;
  /** Redriven copies meant for another stage, committed past without handling (ADR 0013). */
  redrivesSkipped: number;
  /** Dead letters by error code (sums to `deadLettered`). */
  deadLettersByCode: Record<string, number>;
  retries: number;
  batches: number;
  commitFailures: number;
  reconnects: number;
  /** True while a record is being retried: this instance has stopped taking new records. */
  paused: boolean;
  /** Records handled per second over the last completed window. */
  recordsPerSecond: number;
  /** Lag per partition of the input topic, from the last lag poll (-1 = not assigned here). */
  lag: Record<string, string>;
  /** Per store: changelog records set aside on restore because they could not be decoded. */
  undecodableState: Record<string, number>;
  /** Per store: keys held here (over the partitions this instance holds). */
  stateKeys: Record<string, number>;
  /** Per store: values kept decoded on the heap. */
  stateHeapValues: Record<string, number>;
  /** Time from a record's first attempt until its outputs (or dead letter) are handed to the sink. */
  handlingSeconds: HandlingHistogram;
  lifecycle: RunnerLifecycle;
}

/** What a stage service tells its ops server: each runner's counters, and the rows of each global table. */
export interface StageSnapshot {
  runners: RunnerMetricsSnapshot[];
  /** Rows (or index entries) per global table or in-memory index, by name. */
  tables: Record<string, number>;
}

export interface RunnerMetricsOptions {
  stage: string;
  groupId: string;
  clock: () => number;
  stores: readonly PartitionedStore[];
}

const windowMs = 5_000;

export class RunnerMetrics {
  readonly #options: RunnerMetricsOptions;
  consumed = 0;
  produced = 0;
  deadLettered = 0;
  redrivesSkipped = 0;
  retries = 0;
  batches = 0;
  commitFailures = 0;
  reconnects = 0;
  paused = false;
  lag: Record<string, string> = {};
  readonly lifecycle: RunnerLifecycle = { started: false, joined: false, stopping: false, partitions: [] };
  readonly #deadLettersByCode = new Map<string, number>();
  readonly #handlingCounts = new Array<number>(handlingBucketBounds.length + 1).fill(0);
  #handlingSum = 0;
  #handlingCount = 0;
  #windowStart: number;
  #windowCount = 0;
  #recordsPerSecond = 0;

  constructor(options: RunnerMetricsOptions) {
    this.#options = options;
    this.#windowStart = options.clock();
  }

  recordBatch(records: number): void {
    this.batches += 1;
    this.consumed += records;
    this.#windowCount += records;
    const now = this.#options.clock();
    if (now - this.#windowStart >= windowMs) {
      this.#recordsPerSecond = (this.#windowCount * 1000) / (now - this.#windowStart);
      this.#windowStart = now;
      this.#windowCount = 0;
    }
  }

  recordDeadLetter(code: string): void {
    this.deadLettered += 1;
    this.#deadLettersByCode.set(code, (this.#deadLettersByCode.get(code) ?? 0) + 1);
  }

  observeHandling(seconds: number): void {
    const bucket = handlingBucketBounds.findIndex((bound) => seconds <= bound);
    this.#handlingCounts[bucket === -1 ? handlingBucketBounds.length : bucket]! += 1;
    this.#handlingSum += seconds;
    this.#handlingCount += 1;
  }

  snapshot(): RunnerMetricsSnapshot {
    const { stage, groupId, stores } = this.#options;
    return {
      stage,
      groupId,
      consumed: this.consumed,
      produced: this.produced,
      deadLettered: this.deadLettered,
      redrivesSkipped: this.redrivesSkipped,
      deadLettersByCode: Object.fromEntries(this.#deadLettersByCode),
      retries: this.retries,
      batches: this.batches,
      commitFailures: this.commitFailures,
      reconnects: this.reconnects,
      paused: this.paused,
      recordsPerSecond: Math.round(this.#recordsPerSecond * 10) / 10,
      lag: { ...this.lag },
      undecodableState: Object.fromEntries(stores.map((store) => [store.name, store.undecodable])),
      stateKeys: Object.fromEntries(stores.map((store) => [store.name, store.size()])),
      stateHeapValues: Object.fromEntries(stores.map((store) => [store.name, store.heapValues()])),
      handlingSeconds: {
        bounds: handlingBucketBounds,
        counts: [...this.#handlingCounts],
        sum: this.#handlingSum,
        count: this.#handlingCount,
      },
      lifecycle: { ...this.lifecycle, partitions: [...this.lifecycle.partitions] },
    };
  }
}
