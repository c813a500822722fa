import { CategoryLedger, type CategoryState } from '@triage/hash-lists';
import type { Logger } from '@triage/logging';
import {
  deployedTopic,
  GlobalTable,
  type KafkaConnection,
  pipelineTopics,
  recordCodec,
} from '@triage/messaging';
import { type Codec, createCodec, type TriageAction } from '@triage/schemas';

/** Every item's category state, as the API decides category actions against it. */
export interface CategoryBook {
  state(reportId: string, itemId: string): CategoryState;
  /** The report's items that have a state, by item id. */
  states(reportId: string): { itemId: string; state: CategoryState }[];
  /** An action this instance just wrote: applied now, so its author's next request sees it. */
  record(action: TriageAction): void;
}

/** A book over a ledger, indexed by report (the API reads one case at a time). */
export function ledgerBook(ledger: CategoryLedger = new CategoryLedger()): CategoryBook {
  const itemsByReport = new Map<string, Set<string>>();
  return {
    state: (reportId, itemId) => ledger.state(reportId, itemId),
    states(reportId) {
      return [...(itemsByReport.get(reportId) ?? [])]
        .sort()
        .map((itemId) => ({ itemId, state: ledger.state(reportId, itemId) }));
    },
    record(action) {
      if (ledger.apply(action) === null) return;
      const itemId = action.payload.itemId!;
      const items = itemsByReport.get(action.reportId) ?? new Set<string>();
      items.add(itemId);
      itemsByReport.set(action.reportId, items);
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
 * (every instance, every report: category actions are few) and folds the category actions with
 * the same rules the list writer uses, so both agree on every item. Another instance's action is
 * seen within the follow latency; this instance's own at once (`record`).
 */
export function followedCategoryBook(options: {
  connection: KafkaConnection;
  logger: Logger;
  codec?: Codec;
}): FollowedCategoryBook {
  const book = ledgerBook();
  const table = new GlobalTable<TriageAction>({
    name: 'triage-api-categories',
    connection: options.connection,
    topic: deployedTopic(options.connection, pipelineTopics.triageActions.name),
    codec: recordCodec(options.codec ?? createCodec(), 'TriageAction'),
    logger: options.logger,
    keepRows: false,
    onChange: (_key, action) => {
      if (action !== null) book.record(action);
    },
  });
  return { ...book, start: () => table.start(), close: () => table.close() };
}
