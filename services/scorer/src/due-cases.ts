import type { InboundRecord } from '@triage/messaging';
import type { CaseTrigger } from './report-aggregator.ts';

/** A report whose case a batch made due. */
export interface DueCase {
  partition: number;
  trigger: CaseTrigger;
  /** The record that made it due: dead-lettered if the case cannot be built. */
  record: InboundRecord;
}

/**
 * The reports a batch made due, at most one case each (the flush writes them). A batch that
 * completes a report writes its final case, whatever else the batch brought for it.
 */
export class DueCases {
  readonly #due = new Map<string, DueCase>();

  mark(reportId: string, next: DueCase): void {
    const previous = this.#due.get(reportId);
    if (previous?.trigger === 'complete' && next.trigger !== 'complete') return;
    this.#due.set(reportId, next);
  }

  /** The due reports in the order they first became due, emptied for the next batch. */
  take(): [string, DueCase][] {
    const due = [...this.#due];
    this.#due.clear();
    return due;
  }
}
