import { TriageError } from '@triage/errors';

export interface UploadSlotsOptions {
  /** Uploads one partner may have in flight at once. */
  readonly maxPerPartner: number;
  /** `Retry-After` of a refusal, in seconds. */
  readonly retryAfterSeconds?: number;
}

/**
 * Uploads in flight per partner. A partner at its cap is refused before its body is read, so a
 * leaked key (or a partner's runaway retry loop) cannot hold every spool file, staging stream and
 * socket of an instance; the rate limit counts requests started, not those still running.
 */
export class UploadSlots {
  readonly #max: number;
  readonly #retryAfterSeconds: number;
  readonly #inFlight = new Map<string, number>();

  constructor(options: UploadSlotsOptions) {
    this.#max = options.maxPerPartner;
    this.#retryAfterSeconds = options.retryAfterSeconds ?? 5;
  }

  /** Takes a slot for `partnerId` and returns its release (idempotent), or throws TRIAGE_PARTNER_BUSY. */
  take(partnerId: string): () => void {
    const inFlight = this.#inFlight.get(partnerId) ?? 0;
    if (inFlight >= this.#max) {
      throw new TriageError(
        'TRIAGE_PARTNER_BUSY',
        `${inFlight} uploads of this partner are in flight, the most it may have at once; retry when one has finished`,
        { details: { limit: this.#max, retryAfterSeconds: this.#retryAfterSeconds } },
      );
    }
    this.#inFlight.set(partnerId, inFlight + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inFlight.get(partnerId) ?? 1) - 1;
      if (left === 0) this.#inFlight.delete(partnerId);
      else this.#inFlight.set(partnerId, left);
    };
  }

  /** Uploads of `partnerId` in flight now. */
  inFlight(partnerId: string): number {
    return this.#inFlight.get(partnerId) ?? 0;
  }
}
