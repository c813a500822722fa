import type { ContentStore } from '@triage/content-store';
import type { Logger } from '@triage/logging';
import type { ZipSpool } from '../bundles/zip-spool.ts';
import type { MediaReclaim } from './media-reclaim.ts';

/** How long `stop` waits for a sweep under way. */
const stopWaitMs = 2_000;

export interface LeftoverSweeperOptions {
  store: ContentStore;
  spool: ZipSpool;
  /** Absent: committed media of failed publishes is not reclaimed. */
  reclaim?: MediaReclaim;
  /** Staged and spooled files untouched this long, and not in use here, are leftovers. */
  leftoverAgeMs: number;
  intervalMs: number;
  logger: Logger;
}

/**
 * Sweeps at start-up and then every `intervalMs`: staged files and ZIP spools a killed upload or
 * process left (never one this instance is using, nor one written to within `leftoverAgeMs`,
 * which another instance sharing the folder may be writing), then media whose bundle was never
 * published. One sweep at a time; a failed sweep is logged and the next one tries again.
 */
export class LeftoverSweeper {
  readonly #options: LeftoverSweeperOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: LeftoverSweeperOptions) {
    this.#options = options;
  }

  /**
   * Sweeps the leftover files (awaited: start-up begins clean), starts the first reclaim in the
   * background (it reads the bundles topic) and schedules the next sweeps.
   */
  async start(): Promise<void> {
    await this.#guarded(() => this.#sweepFiles());
    this.#running = this.#guarded(() => this.#reclaim()).finally(() => {
      this.#running = undefined;
    });
    this.#timer = setInterval(() => void this.sweepOnce(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** One whole sweep; while one runs, its promise. */
  sweepOnce(): Promise<void> {
    this.#running ??= this.#guarded(async () => {
      await this.#sweepFiles();
      await this.#reclaim();
    }).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /**
   * Stops the schedule. A sweep still reading the bundles topic is not waited for beyond a
   * moment: shutdown has its own deadline, and files a stopped reclaim left withdrawn are put
   * back by the next start.
   */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#running,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, stopWaitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  async #sweepFiles(): Promise<void> {
    const { store, spool, leftoverAgeMs, logger } = this.#options;
    const staged = await store.sweepStaging(leftoverAgeMs);
    const spooled = await spool.sweep(leftoverAgeMs);
    if (staged + spooled > 0)
      logger.info({ staged, spooled }, 'removed staged and spooled files left behind');
  }

  async #reclaim(): Promise<void> {
    const result = await this.#options.reclaim?.sweep();
    if (result !== undefined && result.reclaimed + result.kept > 0) {
      this.#options.logger.info(
        result,
        'reclaim sweep: media of unpublished bundles removed, referenced media kept',
      );
    }
  }

  async #guarded(sweep: () => Promise<void>): Promise<void> {
    try {
      await sweep();
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'leftover sweep failed; the next one tries again');
    }
  }
}
