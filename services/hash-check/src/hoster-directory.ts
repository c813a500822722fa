import { timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { TriageError } from '@triage/errors';
import { type HosterEntry, hashHosterKey, readHostersFile } from '@triage/hosters';
import type { Logger } from '@triage/logging';
import type { HosterPolicy } from './policy/check-plan.ts';

/** Who a request's key belongs to, and what it may do. */
export interface AuthenticatedHoster {
  readonly hosterId: string;
  readonly keyId: string;
  readonly policy: HosterPolicy;
  readonly rateLimit: HosterEntry['rateLimit'];
  readonly hashesPerDay: number | undefined;
}

interface ActiveKey {
  readonly hash: Buffer;
  readonly notAfter: number | null;
  readonly hoster: AuthenticatedHoster;
}

export interface HosterDirectoryOptions {
  file: string;
  logger: Logger;
  /** How often the file is checked for changes; 0 = only on `refresh()`. Default 2 s. */
  pollIntervalMs?: number;
  clock?: () => number;
}

const unauthenticated = (message: string) =>
  new TriageError('TRIAGE_AUTH_REQUIRED', message, { pointer: '/headers/authorization' });

/**
 * The hosters and their key hashes, from `HASH_CHECK_HOSTERS_FILE`, re-read when the file changes
 * (a key added or revoked takes effect within `pollIntervalMs`, no restart). A changed file that
 * does not validate is logged and ignored, so a typo never locks every hoster out; a file that is
 * missing at start fails the start.
 */
export class HosterDirectory {
  readonly #options: HosterDirectoryOptions;
  #keys: ActiveKey[] = [];
  #signature = '';
  #timer: NodeJS.Timeout | undefined;

  private constructor(options: HosterDirectoryOptions) {
    this.#options = options;
  }

  static async open(options: HosterDirectoryOptions): Promise<HosterDirectory> {
    const directory = new HosterDirectory(options);
    const signature = await directory.#currentSignature();
    if (signature === 'missing') {
      throw new TriageError(
        'TRIAGE_CONFIG_INVALID',
        `${options.file}: the hosters file does not exist (HASH_CHECK_HOSTERS_FILE)`,
      );
    }
    await directory.#load(signature);
    const interval = options.pollIntervalMs ?? 2_000;
    if (interval > 0) {
      directory.#timer = setInterval(() => void directory.refresh(), interval);
      directory.#timer.unref();
    }
    return directory;
  }

  /** Re-reads the file if it changed since the last read. */
  async refresh(): Promise<void> {
    const signature = await this.#currentSignature();
    if (signature === this.#signature) return;
    try {
      if (signature === 'missing') throw new TriageError('TRIAGE_CONFIG_INVALID', 'the hosters file is gone');
      await this.#load(signature);
      this.#options.logger.info({ keys: this.#keys.length }, 'hosters file reloaded');
    } catch (error) {
      this.#signature = signature;
      this.#options.logger.error({ err: error }, 'hosters file invalid: keeping the previous one');
    }
  }

  /**
   * The hoster of a bearer key. Every key's hash is compared in constant time and the loop never
   * stops early, so timing tells nothing about which keys exist.
   */
  authenticate(authorization: string | undefined): AuthenticatedHoster {
    const match = /^Bearer ([A-Za-z0-9_-]{16,256})$/.exec(authorization?.trim() ?? '');
    if (!match) throw unauthenticated('send the hoster key as `Authorization: Bearer <key>`');
    const presented = Buffer.from(hashHosterKey(match[1]!), 'hex');
    let found: ActiveKey | undefined;
    for (const key of this.#keys) {
      if (timingSafeEqual(key.hash, presented) && !found) found = key;
    }
    if (!found) throw unauthenticated('the hoster key is not known or was revoked');
    const now = (this.#options.clock ?? Date.now)();
    if (found.notAfter !== null && now > found.notAfter)
      throw unauthenticated(`hoster key ${found.hoster.keyId} has expired`);
    return found.hoster;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #currentSignature(): Promise<string> {
    const info = await stat(this.#options.file).catch(() => null);
    return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : 'missing';
  }

  async #load(signature: string): Promise<void> {
    const content = await readHostersFile(this.#options.file);
    this.#keys = content.hosters.flatMap((hoster) =>
      hoster.keys.map((key) => ({
        hash: Buffer.from(key.sha256, 'hex'),
        notAfter: key.notAfter === undefined ? null : Date.parse(key.notAfter),
        hoster: {
          hosterId: hoster.hosterId,
          keyId: key.id,
          policy: { lists: hoster.lists, pdqMaxDistance: hoster.pdqMaxDistance, category: hoster.category },
          rateLimit: hoster.rateLimit,
          hashesPerDay: hoster.quota?.hashesPerDay,
        },
      })),
    );
    this.#signature = signature;
  }
}
