import { TriageError, toTriageError } from '@triage/errors';
import type { AuditEventInput } from '@triage/schemas';
import {
  type AuditTrailOptions,
  type ResolvedAuditTrailOptions,
  resolveAuditTrailOptions,
} from './audit-trail-options.ts';
import { genesisHash, sealEvent } from './chain-hash.ts';

/** What the API knows about a request; the trail adds the id, the time and the chain link. */
export type AuditRecordInput = Omit<AuditEventInput, 'eventId' | 'at' | 'chain'>;

/** Where a recorded event sits: enough to find it in the topic and the index. */
export interface RecordedAudit {
  eventId: string;
  chainId: string;
  sequence: number;
  hash: string;
}

interface Pending {
  input: AuditRecordInput;
  resolve: (recorded: RecordedAudit) => void;
  reject: (error: TriageError) => void;
}

interface Sealed {
  pending: Pending;
  bytes: Buffer;
  recorded: RecordedAudit;
}

/**
 * One writer's hash-chained audit trail. `record` resolves only after Kafka acknowledged the
 * event with acks=all. Records are chained in call order; while one send is in flight the next
 * calls queue and go out together (group commit), one partition and one chain, so the chain
 * stays linear. A failed send rejects every event in it with retryable
 * TRIAGE_AUDIT_UNAVAILABLE and starts a new chain: whether the broker kept the failed events or
 * not, the old chain ends cleanly there, so the verifier never sees a false gap.
 */
export class AuditTrail {
  readonly #options: ResolvedAuditTrailOptions;
  readonly #queue: Pending[] = [];
  #draining = false;
  #chainId = '';
  #chainStart = Number.NEGATIVE_INFINITY;
  #sequence = 0;
  #previousHash = '';

  constructor(options: AuditTrailOptions) {
    this.#options = resolveAuditTrailOptions(options);
    this.#startChain();
  }

  /** The chain the next event joins: `<writerId>/<ISO start time>`. */
  get chainId(): string {
    return this.#chainId;
  }

  /** Chains, stamps and writes one event; resolves once it is acknowledged (acks=all). */
  record(input: AuditRecordInput): Promise<RecordedAudit> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) await this.#sendBatch(this.#queue.splice(0, this.#options.maxBatch));
    } finally {
      this.#draining = false;
    }
  }

  async #sendBatch(batch: Pending[]): Promise<void> {
    const { codec, clock, producer, topic, logger } = this.#options;
    const chainId = this.#chainId;
    const first = this.#sequence;
    const sealed: Sealed[] = [];
    for (const pending of batch) {
      const sequence = this.#sequence;
      const eventId = `${chainId}/${sequence}`;
      try {
        const { bytes, hash } = sealEvent(codec, {
          ...pending.input,
          eventId,
          at: clock(),
          chain: { chainId, sequence, previousHash: this.#previousHash },
        });
        sealed.push({ pending, bytes, recorded: { eventId, chainId, sequence, hash } });
        this.#sequence++;
        this.#previousHash = hash;
      } catch (error) {
        // An invalid event is refused alone and takes no sequence number.
        pending.reject(toTriageError(error, 'TRIAGE_RECORD_INVALID'));
      }
    }
    if (sealed.length === 0) return;
    try {
      await producer.send(sealed.map(({ bytes }) => ({ topic, key: chainId, value: bytes })));
    } catch (cause) {
      const error = new TriageError('TRIAGE_AUDIT_UNAVAILABLE', 'The audit event could not be written', {
        cause,
        retryable: true,
        details: { chainId, firstSequence: first, events: sealed.length },
      });
      logger.warn({ err: error }, 'audit write failed; its requests are refused and a new chain starts');
      this.#startChain();
      for (const { pending } of sealed) pending.reject(error);
      return;
    }
    for (const { pending, recorded } of sealed) pending.resolve(recorded);
  }

  #startChain(): void {
    // Strictly later than the last chain's start, so a restart within one millisecond is still a new chain.
    this.#chainStart = Math.max(this.#options.clock(), this.#chainStart + 1);
    this.#chainId = `${this.#options.writerId}/${new Date(this.#chainStart).toISOString()}`;
    this.#sequence = 0;
    this.#previousHash = genesisHash(this.#chainId);
    // The logs are a second witness that the chain exists, should all of its records be removed.
    this.#options.logger.info({ chainId: this.#chainId }, 'audit chain started');
  }
}
