import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { TriageError } from '@triage/errors';

/** Free bytes under a folder (`statfs`: blocks available to an unprivileged writer). */
export type FreeBytesOf = (folder: string) => Promise<number>;

export interface StagingSpaceOptions {
  /** Folders uploads are written to: the content store (its staging area) and the ZIP spool. */
  readonly folders: readonly string[];
  /** Below this many free bytes on any of them, bundles are refused. */
  readonly minFreeBytes: number;
  /** How free space is read (default `statfs`); tests give a stand-in. */
  readonly freeBytesOf?: FreeBytesOf;
  readonly retryAfterSeconds?: number;
  /**
   * How long one reading of the free space answers later requests (default 0: every request
   * reads). A second's reading is enough for a floor meant to leave gigabytes, and saves two
   * `statfs` per bundle.
   */
  readonly maxAgeMs?: number;
}

/** The refusal for a volume with `freeBytes` left, or null when there is room. */
export function stagingRefusal(
  freeBytes: number,
  minFreeBytes: number,
  retryAfterSeconds: number,
): TriageError | null {
  if (freeBytes >= minFreeBytes) return null;
  return new TriageError(
    'TRIAGE_STAGING_FULL',
    `intake's staging volume has ${freeBytes} bytes free, under the ${minFreeBytes} it keeps in reserve`,
    { details: { retryAfterSeconds } },
  );
}

/** `statfs` of the folder, or of its nearest existing parent (the spool is made on first use). */
const statfsFreeBytes: FreeBytesOf = async (folder) => {
  for (let at = path.resolve(folder); ; at = path.dirname(at)) {
    try {
      const stats = await statfs(at);
      return stats.bavail * stats.bsize;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || at === path.dirname(at)) throw error;
    }
  }
};

/**
 * Refuses a bundle before its body is read when the staging volume is nearly full: a refused
 * upload costs the partner a retry, a full disk costs every upload in flight and the content
 * store's commits. Read per bundle request, or at most every `maxAgeMs`.
 */
export class StagingSpace {
  readonly #options: StagingSpaceOptions;
  readonly #freeBytesOf: FreeBytesOf;

  constructor(options: StagingSpaceOptions) {
    this.#options = options;
    this.#freeBytesOf = options.freeBytesOf ?? statfsFreeBytes;
  }

  #reading: { at: number; freeBytes: Promise<number> } | undefined;

  async refusal(): Promise<TriageError | null> {
    return stagingRefusal(
      await this.#freeBytes(),
      this.#options.minFreeBytes,
      this.#options.retryAfterSeconds ?? 30,
    );
  }

  /** The least free space of the folders, read again once the last reading is `maxAgeMs` old. */
  #freeBytes(): Promise<number> {
    const now = Date.now();
    const reading = this.#reading;
    if (reading && now - reading.at < (this.#options.maxAgeMs ?? 0)) return reading.freeBytes;
    const freeBytes = Promise.all(this.#options.folders.map((folder) => this.#freeBytesOf(folder))).then(
      (free) => Math.min(...free),
    );
    this.#reading = { at: now, freeBytes };
    // A failed reading is not kept: the next request reads again.
    freeBytes.catch(() => {
      if (this.#reading?.freeBytes === freeBytes) this.#reading = undefined;
    });
    return freeBytes;
  }
}
