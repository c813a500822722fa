import { timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { TriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import {
  hashPartnerKey,
  type PartnerQuota,
  type PartnerScope,
  type PartnersFile,
  readPartnersFile,
  scopesOf,
} from '@triage/partners';

/** Who a request's key belongs to. */
export interface AuthenticatedPartner {
  readonly partnerId: string;
  readonly keyId: string;
  readonly rateLimit: { readonly max: number; readonly timeWindow: number };
  /** Bundles, reports and bytes per UTC day; absent: no quota. */
  readonly quota?: PartnerQuota | undefined;
  /** What this key may do (`bundles` when the partners file names nothing). */
  readonly scopes: readonly PartnerScope[];
}

interface ActiveKey {
  readonly hash: Buffer;
  readonly notAfter: number | null;
  readonly partner: AuthenticatedPartner;
}

export interface PartnerDirectoryOptions {
  file: string;
  logger: Logger;
  /** How often the file is checked for changes; 0 = only on `refresh()`. */
  pollIntervalMs?: number;
  clock?: () => number;
}

/**
 * The partners and their key hashes, from `INTAKE_PARTNERS_FILE`, re-read when the file changes
 * (rotation without a restart). A changed file that does not validate is logged and ignored:
 * the last good one stays in force, so a typo (or a file deleted or unmounted) never locks every
 * partner out.
 */
export class PartnerDirectory {
  readonly #options: PartnerDirectoryOptions;
  #keys: ActiveKey[] = [];
  #signature = '';
  #timer: NodeJS.Timeout | undefined;

  private constructor(options: PartnerDirectoryOptions) {
    this.#options = options;
  }

  /** Loads the file (a missing or invalid file fails the start) and starts watching it. */
  static async open(options: PartnerDirectoryOptions): Promise<PartnerDirectory> {
    const directory = new PartnerDirectory(options);
    await directory.#load(await directory.#currentSignature());
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
      await this.#load(signature);
      this.#options.logger.info({ partners: this.partnerCount }, 'partners file reloaded');
    } catch (error) {
      this.#signature = signature;
      this.#options.logger.error({ err: error }, 'partners file invalid: keeping the previous one');
    }
  }

  get partnerCount(): number {
    return new Set(this.#keys.map((key) => key.partner.partnerId)).size;
  }

  /**
   * The partner of a bearer key. Every active key's hash is compared in constant time and the
   * loop never stops early, so timing tells nothing about which keys exist.
   */
  authenticate(authorization: string | undefined): AuthenticatedPartner {
    const match = /^Bearer ([A-Za-z0-9_-]{16,256})$/.exec(authorization?.trim() ?? '');
    if (!match) {
      throw new TriageError('TRIAGE_AUTH_REQUIRED', 'send the API key as `Authorization: Bearer <key>`', {
        pointer: '/headers/authorization',
      });
    }
    const presented = Buffer.from(hashPartnerKey(match[1]!), 'hex');
    let found: ActiveKey | undefined;
    for (const key of this.#keys) {
      if (timingSafeEqual(key.hash, presented) && !found) found = key;
    }
    if (!found) {
      throw new TriageError('TRIAGE_AUTH_REQUIRED', 'the API key is not known or was revoked', {
        pointer: '/headers/authorization',
      });
    }
    const now = (this.#options.clock ?? Date.now)();
    if (found.notAfter !== null && now > found.notAfter) {
      throw new TriageError('TRIAGE_AUTH_REQUIRED', `API key ${found.partner.keyId} has expired`, {
        pointer: '/headers/authorization',
      });
    }
    return found.partner;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #currentSignature(): Promise<string> {
    const info = await stat(this.#options.file).catch(() => null);
    return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : 'missing';
  }

  async #load(signature: string): Promise<void> {
    // A missing file is an error (at start, and kept-the-previous-one later), never "no partners":
    // a deleted or unmounted file must not silently revoke every key.
    if (signature === 'missing') {
      throw new TriageError(
        'TRIAGE_CONFIG_INVALID',
        `${this.#options.file}: the partners file does not exist (INTAKE_PARTNERS_FILE)`,
      );
    }
    const content: PartnersFile = await readPartnersFile(this.#options.file);
    this.#keys = content.partners.flatMap((partner) =>
      partner.keys.map((key) => ({
        hash: Buffer.from(key.sha256, 'hex'),
        notAfter: key.notAfter === undefined ? null : Date.parse(key.notAfter),
        partner: {
          partnerId: partner.partnerId,
          keyId: key.id,
          rateLimit: partner.rateLimit,
          quota: partner.quota,
          scopes: scopesOf(key),
        },
      })),
    );
    this.#signature = signature;
  }
}

/** Refuses a partner whose key lacks `scope` (403: the key is known, it may not use this route). */
export function requireScope(partner: AuthenticatedPartner, scope: PartnerScope): void {
  if (partner.scopes.includes(scope)) return;
  throw new TriageError(
    'TRIAGE_AUTH_FORBIDDEN',
    `API key ${partner.keyId} has no ${scope} scope (it has ${partner.scopes.join(', ')})`,
    { pointer: '/headers/authorization' },
  );
}
