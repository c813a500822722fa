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
 * store's commits. Read on every bundle request (one `statfs` per folder, microseconds).
 */
export class StagingSpace {
  readonly #options: StagingSpaceOptions;
  readonly #freeBytesOf: FreeBytesOf;

  constructor(options: StagingSpaceOptions) {
    this.#options = options;
    this.#freeBytesOf = options.freeBytesOf ?? statfsFreeBytes;
  }

  async refusal(): Promise<TriageError | null> {
    const free = await Promise.all(this.#options.folders.map((folder) => this.#freeBytesOf(folder)));
    return stagingRefusal(
      Math.min(...free),
      this.#options.minFreeBytes,
      this.#options.retryAfterSeconds ?? 30,
    );
  }
}
