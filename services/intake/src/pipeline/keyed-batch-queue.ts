/** One job's outcome in a batch: its own value, or its own refusal (the others still go ahead). */
export type BatchOutcome<R> =
  | { readonly ok: true; readonly value: R }
  | { readonly ok: false; readonly error: unknown };

/** Writes a batch; returns one outcome per job, in order. A throw fails every job of the batch. */
export type BatchFlush<J, R> = (jobs: readonly J[]) => Promise<readonly BatchOutcome<R>[]>;

export interface KeyedBatchQueueOptions<J> {
  /** Most jobs one batch takes. */
  maxJobs: number;
  /** Jobs of one batch weigh at most this together (a single heavier job goes alone). */
  maxWeight?: number;
  weigh?: (job: J) => number;
}

interface Queued<J, R> {
  readonly job: J;
  readonly resolve: (value: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit per key: jobs of one key run in batches, one batch at a time, and the jobs that
 * arrive while a batch is being written go together into the next. Keys run side by side. A
 * lone job is written at once, so nothing waits for company; under load one write serves many.
 */
export class KeyedBatchQueue<J, R> {
  readonly #options: KeyedBatchQueueOptions<J>;
  readonly #flush: BatchFlush<J, R>;
  readonly #waiting = new Map<string, Queued<J, R>[]>();

  constructor(options: KeyedBatchQueueOptions<J>, flush: BatchFlush<J, R>) {
    if (options.maxJobs < 1) throw new Error('maxJobs must be at least 1');
    this.#options = options;
    this.#flush = flush;
  }

  run(key: string, job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const waiting = this.#waiting.get(key);
      if (waiting) {
        waiting.push({ job, resolve, reject });
        return;
      }
      this.#waiting.set(key, [{ job, resolve, reject }]);
      void this.#drain(key);
    });
  }

  async #drain(key: string): Promise<void> {
    for (;;) {
      const waiting = this.#waiting.get(key)!;
      if (waiting.length === 0) {
        this.#waiting.delete(key);
        return;
      }
      const batch = waiting.splice(0, this.#batchLength(waiting));
      try {
        const outcomes = await this.#flush(batch.map((queued) => queued.job));
        batch.forEach((queued, index) => {
          const outcome = outcomes[index];
          if (outcome?.ok) queued.resolve(outcome.value);
          else queued.reject(outcome ? outcome.error : new Error('the batch gave this job no outcome'));
        });
      } catch (error) {
        for (const queued of batch) queued.reject(error);
      }
    }
  }

  #batchLength(waiting: readonly Queued<J, R>[]): number {
    const { maxJobs, maxWeight, weigh } = this.#options;
    if (maxWeight === undefined || weigh === undefined) return Math.min(maxJobs, waiting.length);
    let weight = 0;
    let length = 0;
    for (const queued of waiting.slice(0, maxJobs)) {
      weight += weigh(queued.job);
      if (length > 0 && weight > maxWeight) break;
      length += 1;
    }
    return length;
  }
}
