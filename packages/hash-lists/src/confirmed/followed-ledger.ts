import type { Logger } from '@triage/logging';
import {
  type DiskTable,
  deployedTopic,
  GlobalTable,
  type KafkaConnection,
  pipelineTopics,
  recordCodec,
  TopicDiskCache,
} from '@triage/messaging';
import { type Codec, createCodec, type TriageAction } from '@triage/schemas';
import { CategoryLedger, type CategoryLedgerRows, type CategoryState } from './category-rules.ts';

export interface FollowedLedgerOptions {
  /** The reader's name (client id part, so no spaces); on its log lines. */
  name: string;
  connection: KafkaConnection;
  logger: Logger;
  codec?: Codec;
  /**
   * This instance's folder for the ledger (LMDB: each item's state and the ids of the actions
   * applied, a cache of triage.actions.v1 rebuilt from it); null keeps it in memory.
   */
  dir: string | null;
  /** An action read from the log changed an item's state (`key`: its report and item). */
  changed?: (key: string) => void;
}

/** The category ledger of every item, kept in step with triage.actions.v1. */
export interface FollowedLedger {
  readonly ledger: CategoryLedger;
  /** Resolves once every action written before it was folded. */
  start(): Promise<void>;
  /** Applies an action this instance has just written (on disk before it returns); the item's key when its state changed. */
  record(action: TriageAction): string | null;
  close(): Promise<void>;
}

/** Bump when what the rows mean changes: a store of another format is rebuilt from the log. */
const storeFormat = 'category-ledger-1';

interface LedgerTables {
  states: DiskTable<CategoryState>;
  applied: DiskTable<1>;
}

/**
 * The ledger folded from triage.actions.v1 (kept forever: one action per analyst call), read from
 * its beginning: on disk a restart reads only the log's tail and the heap holds no item (one
 * state per categorised item and one id per category action grow with the analysts' history);
 * in memory (`dir: null`) every instance folds the whole log at each start.
 */
export function followedLedger(options: FollowedLedgerOptions): FollowedLedger {
  const topic = deployedTopic(options.connection, pipelineTopics.triageActions.name);
  const codec = recordCodec(options.codec ?? createCodec(), 'TriageAction');
  const fold = (ledger: CategoryLedger, action: TriageAction | null) => {
    const key = action === null ? null : ledger.apply(action);
    if (key !== null) options.changed?.(key);
  };
  if (options.dir === null) {
    const ledger = new CategoryLedger();
    const table = new GlobalTable<TriageAction>({
      name: options.name,
      connection: options.connection,
      topic,
      codec,
      logger: options.logger,
      keepRows: false,
      onChange: (_key, action) => fold(ledger, action),
    });
    return {
      ledger,
      start: () => table.start(),
      record: (action) => ledger.apply(action),
      close: () => table.close(),
    };
  }
  let cache: TopicDiskCache<TriageAction, LedgerTables> | undefined;
  const tables = () => cache?.loading;
  const ledger = new CategoryLedger(diskLedgerRows(tables));
  cache = new TopicDiskCache<TriageAction, LedgerTables>({
    name: options.name,
    connection: options.connection,
    topic,
    codec,
    logger: options.logger,
    dir: options.dir,
    tableNames: ['states', 'applied'],
    format: storeFormat,
    tables: (store) => ({ states: store.table('states'), applied: store.table('applied') }),
    // Inside the batch's transaction: the ledger reads what it wrote for earlier actions.
    apply: (_tables, _key, action) => fold(ledger, action),
  });
  const disk = cache;
  return {
    ledger,
    start: () => disk.start(),
    record(action) {
      let key: string | null = null;
      disk.writeSync(() => {
        key = ledger.apply(action);
      });
      return key;
    },
    close: () => disk.close(),
  };
}

/** The ledger's rows in the store's tables (none before it is open). */
function diskLedgerRows(tables: () => LedgerTables | undefined): CategoryLedgerRows {
  return {
    state: (key) => tables()?.states.get(key),
    setState: (key, state) => tables()?.states.put(key, state),
    states: (prefix) => tables()?.states.entries(prefix) ?? [],
    applied: (actionId) => tables()?.applied.get(actionId) !== undefined,
    markApplied: (actionId) => tables()?.applied.put(actionId, 1),
  };
}
