import type { PartitionedStore } from '../state/keyed-state-store.ts';

/** Counters a runner exports; `snapshot()` is what a health or metrics endpoint serves. */
export interface RunnerMetricsSnapshot {
  stage: string;
  consumed: number;
  produced: number;
  deadLettered: number;
  /** Redriven copies meant for another stage, committed past without handling (ADR 0013). */
  redrivesSkipped: number;
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
}

const windowMs = 5_000;

export class RunnerMetrics {
  readonly #stage: string;
  readonly #clock: () => number;
  readonly #stores: readonly PartitionedStore[];
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
  #windowStart: number;
  #windowCount = 0;
  #recordsPerSecond = 0;

  constructor(stage: string, clock: () => number, stores: readonly PartitionedStore[]) {
    this.#stage = stage;
    this.#clock = clock;
    this.#stores = stores;
    this.#windowStart = clock();
  }

  recordBatch(records: number): void {
    this.batches += 1;
    this.consumed += records;
    this.#windowCount += records;
    const now = this.#clock();
    if (now - this.#windowStart >= windowMs) {
      this.#recordsPerSecond = (this.#windowCount * 1000) / (now - this.#windowStart);
      this.#windowStart = now;
      this.#windowCount = 0;
    }
  }

  snapshot(): RunnerMetricsSnapshot {
    return {
      stage: this.#stage,
      consumed: this.consumed,
      produced: this.produced,
      deadLettered: this.deadLettered,
      redrivesSkipped: this.redrivesSkipped,
      retries: this.retries,
      batches: this.batches,
      commitFailures: this.commitFailures,
      reconnects: this.reconnects,
      paused: this.paused,
      recordsPerSecond: Math.round(this.#recordsPerSecond * 10) / 10,
      lag: { ...this.lag },
      undecodableState: Object.fromEntries(this.#stores.map((store) => [store.name, store.undecodable])),
    };
  }
}
