import { toTriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { Outputs } from '@triage/messaging';

export interface QuietTimerOptions {
  /** The runner's `runExclusive`: the check runs between batches and its cases are acknowledged. */
  runExclusive(task: () => Outputs): Promise<void>;
  /** Provisional cases of the reports that went quiet. */
  quietCases(): Outputs;
  /** Also run on every tick (the relink scheduler's retry after a failure). */
  onTick?: () => void;
  /** The quiet time: the check runs every quarter of it, between 0.25 and 30 s. */
  quietMs: number;
  logger: Logger;
}

/** How often the quiet check runs for a quiet time. */
export function quietCheckIntervalMs(quietMs: number): number {
  return Math.min(Math.max(Math.floor(quietMs / 4), 250), 30_000);
}

/**
 * Checks for quiet reports on a timer, one check at a time: a tick while a check is still
 * running (a slow batch holds the runner) is skipped, not queued. A failed check (Kafka down) is
 * logged and tried again on the next tick; after `stop()` nothing is logged or started.
 */
export class QuietTimer {
  readonly #options: QuietTimerOptions;
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  #started = false;

  constructor(options: QuietTimerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#started = true;
    this.#timer = setInterval(() => this.tick(), quietCheckIntervalMs(this.#options.quietMs));
    this.#timer.unref();
  }

  /** Stops ticking; resolves once a check in flight ends. */
  async stop(): Promise<void> {
    this.#started = false;
    clearInterval(this.#timer);
    await this.#checking;
  }

  tick(): void {
    if (!this.#started) return;
    this.#options.onTick?.();
    if (this.#checking) return;
    this.#checking = this.#options
      .runExclusive(() => this.#options.quietCases())
      .catch((error) => {
        if (this.#started)
          this.#options.logger.warn({ err: toTriageError(error) }, 'scorer: quiet-report check failed');
      })
      .finally(() => {
        this.#checking = undefined;
      });
  }
}
