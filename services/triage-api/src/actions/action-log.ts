import { TriageError } from '@triage/errors';
import type { RecordProducer } from '@triage/messaging';
import { type Codec, createCodec, type TriageAction } from '@triage/schemas';

export interface ActionLogOptions {
  /** An acks=all producer (`createRecordProducer`); `write` resolves once it acknowledged. */
  producer: RecordProducer;
  /** Deployed name of the actions topic (`deployedTopic(connection, pipelineTopics.triageActions.name)`). */
  topic: string;
  /** Default: the committed schemas. */
  codec?: Codec;
  /** Actions remembered for retries by this instance; default 10 000 (the oldest are forgotten first). */
  memory?: number;
}

interface Remembered {
  action: TriageAction;
  acknowledged: boolean;
}

/**
 * Where the API writes analysts' actions: `triage.actions.v1`, keyed by report id (the cases'
 * partition, so the indexer folds a case and its actions in one group). It remembers the recent
 * actions it was asked to write, so a retried request gets the very same event (the same `at`,
 * which the indexer's fold then ignores) and an action already acknowledged is not sent twice.
 */
export class ActionLog {
  readonly #producer: RecordProducer;
  readonly #topic: string;
  readonly #codec: Codec;
  readonly #memory: number;
  readonly #recent = new Map<string, Remembered>();

  constructor(options: ActionLogOptions) {
    this.#producer = options.producer;
    this.#topic = options.topic;
    this.#codec = options.codec ?? createCodec();
    this.#memory = options.memory ?? 10_000;
  }

  /** The action remembered under `actionId`, if this instance was asked to write one. */
  recall(actionId: string): TriageAction | undefined {
    return this.#recent.get(actionId)?.action;
  }

  /**
   * Remembers `action` under its id unless another is already remembered there, and returns the
   * one remembered: two requests racing with one id end up with one action.
   */
  hold(action: TriageAction): TriageAction {
    const known = this.#recent.get(action.actionId);
    if (known !== undefined) return known.action;
    this.#recent.set(action.actionId, { action, acknowledged: false });
    while (this.#recent.size > this.#memory) {
      const oldest = this.#recent.keys().next().value;
      if (oldest === undefined) break;
      this.#recent.delete(oldest);
    }
    return action;
  }

  /**
   * Writes the action (acks=all) unless this instance already had it acknowledged; resolves once
   * it is. Not acknowledged: retryable TRIAGE_ACTIONS_UNAVAILABLE (a retry sends the same event).
   */
  async write(action: TriageAction): Promise<void> {
    const known = this.#recent.get(action.actionId);
    if (known?.acknowledged === true && known.action === action) return;
    const value = this.#codec.encode('TriageAction', action);
    try {
      await this.#producer.send([{ topic: this.#topic, key: action.reportId, value }]);
    } catch (cause) {
      throw new TriageError('TRIAGE_ACTIONS_UNAVAILABLE', 'The action could not be written', {
        cause,
        retryable: true,
      });
    }
    if (known !== undefined && known.action === action) known.acknowledged = true;
  }
}
