/** One job's outcome in a batch: its own value, or its own refusal (the others still go ahead). */
export type BatchOutcome<R> =
  | { readonly ok: true; readonly value: R }
  | { readonly ok: false; readonly error: unknown };

/** Writes a batch; returns one outcome per job, in order. A throw fails every job of the batch. */
export type BatchFlush<J, R> = (jobs: readonly J[]) => Promise<readonly BatchOutcome<R>[]>;

export interface BatchQueueOptions<J> {
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
 * Group commit: jobs run in batches, one batch at a time, and the jobs that arrive while a batch
 * is being written go together into the next. A lone job is written at once, so nothing waits
 * for company; under load one write serves many.
 */
export class BatchQueue<J, R> {
  readonly #options: BatchQueueOptions<J>;
  readonly #flush: BatchFlush<J, R>;
  readonly #waiting: Queued<J, R>[] = [];
  #draining = false;

  constructor(options: BatchQueueOptions<J>, flush: BatchFlush<J, R>) {
    if (options.maxJobs < 1) throw new Error('maxJobs must be at least 1');
    this.#options = options;
    this.#flush = flush;
  }

  run(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ job, resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#batchLength());
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
    this.#draining = false;
  }

  #batchLength(): number {
    const { maxJobs, maxWeight, weigh } = this.#options;
    if (maxWeight === undefined || weigh === undefined) return Math.min(maxJobs, this.#waiting.length);
    let weight = 0;
    let length = 0;
    for (const queued of this.#waiting.slice(0, maxJobs)) {
      weight += weigh(queued.job);
      if (length > 0 && weight > maxWeight) break;
      length += 1;
    }
    return length;
  }
}
