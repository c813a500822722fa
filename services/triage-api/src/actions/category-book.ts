import { CategoryLedger, type CategoryState, followedLedger } from '@triage/hash-lists';
import type { Logger } from '@triage/logging';
import type { KafkaConnection } from '@triage/messaging';
import type { Codec, TriageAction } from '@triage/schemas';

/** Every item's category state, as the API decides category actions against it. */
export interface CategoryBook {
  state(reportId: string, itemId: string): CategoryState;
  /** The report's items that have a state, by item id. */
  states(reportId: string): { itemId: string; state: CategoryState }[];
  /** An action this instance just wrote: applied now, so its author's next request sees it. */
  record(action: TriageAction): void;
}

/** A book over a ledger (the API reads one case at a time: a report's items by key prefix). */
export function ledgerBook(ledger: CategoryLedger = new CategoryLedger()): CategoryBook {
  return {
    state: (reportId, itemId) => ledger.state(reportId, itemId),
    states: (reportId) => [...ledger.items(reportId)],
    record(action) {
      ledger.apply(action);
    },
  };
}

export interface FollowedCategoryBook extends CategoryBook {
  /** Resolves once every action written before it was folded. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The category book of this API instance: it follows `triage.actions.v1` from the beginning
 * (every instance, every report) and folds the category actions with the same rules the list
 * writer uses, so both agree on every item. The ledger lies on disk under `dir` (a restart reads
 * the log's tail; null: in memory, folded from the whole log at each start). Another instance's
 * action is seen within the follow latency; this instance's own at once (`record`).
 */
export function followedCategoryBook(options: {
  connection: KafkaConnection;
  logger: Logger;
  codec?: Codec;
  /** This instance's folder for the ledger (`TRIAGE_API_STATE_DIR`); null: in memory. */
  dir: string | null;
}): FollowedCategoryBook {
  const followed = followedLedger({ ...options, name: 'triage-api-categories' });
  const book = ledgerBook(followed.ledger);
  return {
    ...book,
    record: (action) => void followed.record(action),
    start: () => followed.start(),
    close: () => followed.close(),
  };
}
