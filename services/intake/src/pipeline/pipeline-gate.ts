import { Admin } from '@platformatic/kafka';
import { TriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import { baseClientOptions, consumerLag, type KafkaConnection } from '@triage/messaging';

export interface PipelineGateOptions {
  connection: KafkaConnection;
  /** Deployed name of the bundles topic. */
  bundlesTopic: string;
  /** The splitter's consumer group, whose lag on the bundles topic is the backlog. */
  splitterGroupId: string;
  /** Bundles the splitter may have left to read before intake refuses new ones. */
  maxPendingBundles: number;
  /** How often the lag is measured; requests use the last measurement. */
  checkIntervalMs: number;
  logger: Logger;
}

export interface PipelineState {
  /** The last check reached Kafka. */
  readonly reachable: boolean;
  /** Bundles on the topic the splitter group has not committed yet (null until measured). */
  readonly pendingBundles: number | null;
  readonly checkedAt: number | null;
}

/**
 * Each bundle is a transaction of its own (ADR 0016): its record and its commit marker take two
 * offsets of the bundles topic, and the lag counts offsets.
 */
const offsetsPerBundle = 2;

/**
 * Intake's backpressure: refuses a bundle before its body is read when Kafka is unreachable or
 * the splitter is too far behind, so nothing is ever accepted and then dropped. The lag is read
 * with the admin client every `checkIntervalMs`, not per request.
 */
export class PipelineGate {
  readonly #options: PipelineGateOptions;
  readonly #admin: Admin;
  #state: PipelineState = { reachable: false, pendingBundles: null, checkedAt: null };
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;

  constructor(options: PipelineGateOptions) {
    this.#options = options;
    this.#admin = new Admin({
      ...baseClientOptions(options.connection, 'intake-lag'),
      // A dead broker must show up within a check, not after minutes of retries.
      retries: 1,
      timeout: 5_000,
      connectTimeout: 3_000,
      requestTimeout: 5_000,
    });
  }

  get state(): PipelineState {
    return this.#state;
  }

  /** Measures once now, then every `checkIntervalMs`. */
  async start(): Promise<void> {
    await this.check();
    this.#timer = setInterval(() => void this.check(), this.#options.checkIntervalMs);
    this.#timer.unref();
  }

  /** One measurement (concurrent callers share it). */
  check(): Promise<void> {
    this.#checking ??= this.#measure().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  /** Why a new bundle must wait, or null when it may come in. */
  refusal(): TriageError | null {
    const { reachable, pendingBundles } = this.#state;
    if (!reachable) {
      return new TriageError('TRIAGE_PIPELINE_BEHIND', 'Kafka is unavailable; nothing was accepted', {
        details: { retryAfterSeconds: 10 },
      });
    }
    if (pendingBundles !== null && pendingBundles > this.#options.maxPendingBundles) {
      return new TriageError(
        'TRIAGE_PIPELINE_BEHIND',
        `${pendingBundles} bundles are waiting to be split (limit ${this.#options.maxPendingBundles}); nothing was accepted`,
        { details: { retryAfterSeconds: 30, pendingBundles } },
      );
    }
    return null;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#checking;
    await this.#admin.close().catch(() => undefined);
  }

  async #measure(): Promise<void> {
    const { bundlesTopic, splitterGroupId, logger } = this.#options;
    try {
      const lag = await consumerLag(this.#admin, splitterGroupId, bundlesTopic);
      const pendingBundles = Math.ceil(lag.pending / offsetsPerBundle);
      this.#state = { reachable: true, pendingBundles, checkedAt: Date.now() };
    } catch (error) {
      if (this.#state.reachable) logger.warn({ err: error }, 'pipeline check failed: refusing bundles');
      this.#state = { reachable: false, pendingBundles: this.#state.pendingBundles, checkedAt: Date.now() };
    }
  }
}
