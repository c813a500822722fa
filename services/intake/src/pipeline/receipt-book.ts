import type { Logger } from '@triage/logging';
import { type KafkaConnection, recordCodec, TopicDiskCache } from '@triage/messaging';
import type { BundleStatus, Codec } from '@triage/schemas';
import {
  applyStatus,
  type DailyUsage,
  type ReceiptTables,
  receiptTableNames,
  usageKey,
  utcDay,
} from './receipt-rows.ts';

export interface ReceiptBookOptions {
  connection: KafkaConnection;
  /** Deployed name of the bundle status topic (compacted, key bundleId or `${bundleId}#split`). */
  topic: string;
  codec: Codec;
  logger: Logger;
  /**
   * This instance's folder for the receipt store (`INTAKE_RECEIPTS_DIR`); the store itself lies
   * in a subfolder named after the topic, so instances of other deployments never share it.
   */
  dir: string;
  /** Wait between attempts to load the table while Kafka is down. */
  retryDelayMs?: number;
  /** Status records written to disk per transaction while catching up (default 2 000). */
  batchSize?: number;
}

/** Bump when what the rows mean changes: a store of another format is rebuilt from the topic. */
const storeFormat = 'receipts-1';

/**
 * Every receipt and split status of intake.status.v1, kept in an on-disk store (LMDB) that this
 * instance rebuilds from the compacted topic (`TopicDiskCache`): answers re-sent bundles, status
 * requests, the next version of a report and the partner's usage of the day. A restart reads only
 * the topic's tail; a missing or unreadable store is rebuilt from the beginning. Receipts this
 * instance publishes are applied at once (`recordAll`), before the table reads them back.
 * Nothing is answered before the topic has been read to its end (intake refuses bundles then).
 */
export class ReceiptBook {
  readonly #cache: TopicDiskCache<BundleStatus, ReceiptTables>;

  constructor(options: ReceiptBookOptions) {
    this.#cache = new TopicDiskCache<BundleStatus, ReceiptTables>({
      name: 'intake-status',
      connection: options.connection,
      topic: options.topic,
      codec: recordCodec(options.codec, 'BundleStatus'),
      logger: options.logger,
      dir: options.dir,
      tableNames: receiptTableNames,
      format: storeFormat,
      tables: (store) => ({
        receipts: store.table('receipts'),
        splits: store.table('splits'),
        versions: store.table('versions'),
        usage: store.table('usage'),
      }),
      apply: applyStatus,
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }

  /** True once the topic has been read up to its end: before that no bundle may be accepted. */
  get ready(): boolean {
    return this.#cache.ready;
  }

  /** Opens the store and reads the topic from its checkpoint, retrying while Kafka is unavailable; resolves when caught up (or closed). */
  start(): Promise<void> {
    return this.#cache.start();
  }

  receipt(bundleId: string): BundleStatus | undefined {
    return this.#tables()?.receipts.get(bundleId);
  }

  splitStatus(bundleId: string): BundleStatus | undefined {
    return this.#tables()?.splits.get(bundleId);
  }

  /** The highest version any receipt gave this report id; 0 for a report never seen. */
  latestVersion(reportId: string): number {
    return this.#tables()?.versions.get(reportId) ?? 0;
  }

  /** What the partner's bundles received on the UTC day of `at` add up to. */
  usage(partnerId: string, at: number): DailyUsage {
    return this.#tables()?.usage.get(usageKey(partnerId, utcDay(at))) ?? { bundles: 0, reports: 0, bytes: 0 };
  }

  /** Applies receipts this instance has just published, in one write (committed before it returns). */
  recordAll(receipts: readonly BundleStatus[]): void {
    this.#cache.writeSync((tables) => {
      for (const receipt of receipts) applyStatus(tables, receipt.bundleId, receipt);
    });
  }

  close(): Promise<void> {
    return this.#cache.close();
  }

  #tables(): ReceiptTables | undefined {
    return this.#cache.ready ? this.#cache.tables : undefined;
  }
}
