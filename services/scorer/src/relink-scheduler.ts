import { setImmediate as nextTurn } from 'node:timers/promises';
import { toTriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { Outputs } from '@triage/messaging';

export interface RelinkSchedulerOptions<K> {
  /** The runner's `runExclusive`: the re-link runs between batches and its cases are acknowledged. */
  runExclusive(task: () => Promise<Outputs>): Promise<void>;
  /**
   * The cases of these identifiers' local reports whose links changed, or null when this
   * instance holds no partition yet (the identifiers are kept for the next run).
   */
  relink(identifiers: K[]): Promise<Outputs | null>;
  logger: Logger;
  /** Lets the table apply what it has already read before a run (one task for many rows). */
  settle?: () => Promise<unknown>;
}

/**
 * Collects identifiers whose reports changed in the table and re-links them between batches,
 * many per task and one task at a time. Identifiers that come in during a run wait for the next
 * one, started as soon as the run ends; a run that fails (Kafka down) keeps its identifiers for
 * the next `soon()` (the service's timer). Nothing runs before `start()` or after `stop()`.
 */
export class RelinkScheduler<K> {
  readonly #options: RelinkSchedulerOptions<K>;
  readonly #changed = new Set<K>();
  #running: Promise<void> | undefined;
  #started = false;

  constructor(options: RelinkSchedulerOptions<K>) {
    this.#options = options;
  }

  /** Notes an identifier to re-link and schedules a run. */
  add(identifier: K): void {
    this.#changed.add(identifier);
    this.soon();
  }

  /** Starts a run unless one is running, nothing waits, or the scheduler is not started. */
  soon(): void {
    if (!this.#started || this.#running || this.#changed.size === 0) return;
    this.#running = this.#run().then((again) => {
      this.#running = undefined;
      // Changes that came in meanwhile.
      if (again) this.soon();
    });
  }

  start(): void {
    this.#started = true;
    this.soon();
  }

  /** Refuses new runs; resolves once the one running (if any) ends. */
  async stop(): Promise<void> {
    this.#started = false;
    await this.#running;
  }

  /** Identifiers waiting for a run. */
  get pending(): number {
    return this.#changed.size;
  }

  /** One run; resolves (never rejects) with whether to look for more at once. */
  async #run(): Promise<boolean> {
    const identifiers: K[] = [];
    let relinked = false;
    try {
      await (this.#options.settle ?? nextTurn)();
      identifiers.push(...this.#changed);
      this.#changed.clear();
      await this.#options.runExclusive(async () => {
        const outputs = await this.#options.relink(identifiers);
        if (outputs === null) {
          for (const identifier of identifiers) this.#changed.add(identifier);
          return [];
        }
        relinked = true;
        return outputs;
      });
    } catch (error) {
      if (!this.#started) return false;
      for (const identifier of identifiers) this.#changed.add(identifier);
      this.#options.logger.warn(
        { err: toTriageError(error) },
        'scorer: re-linking failed; retried on the next tick',
      );
      return false;
    }
    return relinked;
  }
}
