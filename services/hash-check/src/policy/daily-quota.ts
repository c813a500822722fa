import { TriageError } from '@triage/errors';

const dayMs = 86_400_000;

/**
 * Hashes checked per hoster per UTC day, in this instance's memory: a restart or a second
 * instance starts its own count (docs/adr/0018-hash-check-service.md says why that is enough).
 */
export class DailyHashQuota {
  readonly #used = new Map<string, { day: number; hashes: number }>();

  /** Counts `hashes` against `limit` (none: no quota) or throws 429 TRIAGE_HASH_CHECK_QUOTA. */
  take(hosterId: string, hashes: number, limit: number | undefined, now: number): void {
    if (limit === undefined) return;
    const day = Math.floor(now / dayMs);
    const current = this.#used.get(hosterId);
    const used = current?.day === day ? current.hashes : 0;
    if (used + hashes > limit) {
      throw new TriageError(
        'TRIAGE_HASH_CHECK_QUOTA',
        `${limit} hashes a day; ${used} checked today, this batch holds ${hashes}`,
        { details: { retryAfterSeconds: ((day + 1) * dayMs - now) / 1000 } },
      );
    }
    this.#used.set(hosterId, { day, hashes: used + hashes });
  }
}
