import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@triage/logging';
import {
  type DiskStore,
  GlobalTable,
  type KafkaConnection,
  openLmdbStore,
  recordCodec,
} from '@triage/messaging';
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
/** After catching up, records from other instances are written at most this long after they arrive. */
const flushDelayMs = 20;

interface PendingRecord {
  key: string;
  value: BundleStatus | null;
  partition: number;
  offset: bigint;
}

/**
 * Every receipt and split status of intake.status.v1, kept in an on-disk store (LMDB) that this
 * instance rebuilds from the compacted topic: answers re-sent bundles, status requests, the next
 * version of a report and the partner's usage of the day. The store holds the topic offsets it
 * reflects, written with the rows, so a restart reads only the topic's tail; a missing or
 * unreadable store is rebuilt from the beginning. Receipts this instance publishes are applied
 * at once (`record`), before the table reads them back.
 */
export class ReceiptBook {
  readonly #options: ReceiptBookOptions;
  #store: DiskStore | undefined;
  #tables: ReceiptTables | undefined;
  #table: GlobalTable<BundleStatus> | undefined;
  #batch: PendingRecord[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #ready = false;
  #closed = false;
  #starting: Promise<void> | undefined;
  #opening: Promise<DiskStore> | undefined;

  constructor(options: ReceiptBookOptions) {
    this.#options = options;
  }

  /** True once the topic has been read up to its end: before that no bundle may be accepted. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Opens the store and reads the topic from its checkpoint, retrying while Kafka is unavailable; resolves when caught up (or closed). */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  receipt(bundleId: string): BundleStatus | undefined {
    return this.#tables?.receipts.get(bundleId);
  }

  splitStatus(bundleId: string): BundleStatus | undefined {
    return this.#tables?.splits.get(bundleId);
  }

  /** The highest version any receipt gave this report id; 0 for a report never seen. */
  latestVersion(reportId: string): number {
    return this.#tables?.versions.get(reportId) ?? 0;
  }

  /** What the partner's bundles received on the UTC day of `at` add up to. */
  usage(partnerId: string, at: number): DailyUsage {
    return this.#tables?.usage.get(usageKey(partnerId, utcDay(at))) ?? { bundles: 0, reports: 0, bytes: 0 };
  }

  /** Applies receipts this instance has just published, in one write (committed before it returns). */
  recordAll(receipts: readonly BundleStatus[]): void {
    const tables = this.#tables;
    if (!tables) throw new Error('the receipt store is not open');
    this.#store!.writeSync(() => {
      for (const receipt of receipts) applyStatus(tables, receipt.bundleId, receipt);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#table?.close();
    await this.#opening?.catch(() => undefined);
    await this.#flush().catch(() => undefined);
    await this.#flushing.catch(() => undefined);
    await this.#store?.close();
  }

  async #start(): Promise<void> {
    const { logger } = this.#options;
    const started = Date.now();
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        // A folder that cannot be written is retried like Kafka being down: logged, refusing bundles.
        this.#opening ??= this.#openStore();
        const store = await this.#opening;
        if (this.#closed) return;
        const table = new GlobalTable<BundleStatus>({
          name: 'intake-status',
          connection: this.#options.connection,
          topic: this.#options.topic,
          codec: recordCodec(this.#options.codec, 'BundleStatus'),
          logger,
          keepRows: false,
          startAt: (ends) => this.#startAt(ends),
          onChange: (key, value, _previous, { partition, offset }) =>
            this.#enqueue({ key, value, partition, offset }),
        });
        this.#table = table;
        await table.start();
        await this.#flush();
        this.#ready = true;
        logger.info(
          { ms: Date.now() - started, path: store.path },
          'receipt store caught up with the status topic',
        );
        return;
      } catch (error) {
        logger.warn({ err: error, attempt }, 'bundle status table not loaded: intake refuses bundles');
        this.#opening = this.#store ? this.#opening : undefined;
        await this.#table?.close().catch(() => undefined);
        this.#batch = [];
        await sleep(Math.min((this.#options.retryDelayMs ?? 1_000) * 2 ** attempt, 15_000));
      }
    }
  }

  async #openStore(): Promise<DiskStore> {
    const store = await openLmdbStore({
      path: path.join(this.#options.dir, this.#options.topic),
      tables: receiptTableNames,
      format: storeFormat,
      logger: this.#options.logger,
    });
    if (store.rebuiltBecause) {
      this.#options.logger.info(
        { path: store.path, because: store.rebuiltBecause },
        'receipt store rebuilt from the topic',
      );
    }
    this.#store = store;
    this.#tables = {
      receipts: store.table('receipts'),
      splits: store.table('splits'),
      versions: store.table('versions'),
      usage: store.table('usage'),
    };
    return store;
  }

  /**
   * Resumes from the store's checkpoint. A checkpoint past a partition's end means the topic was
   * recreated: the store is emptied and the topic read from the beginning.
   */
  async #startAt(ends: ReadonlyMap<number, bigint>): Promise<ReadonlyMap<number, bigint>> {
    const store = this.#store!;
    const checkpoint = store.checkpoint(this.#options.topic);
    const ahead = [...checkpoint].some(([partition, offset]) => offset > (ends.get(partition) ?? 0n));
    if (!ahead) return checkpoint;
    this.#options.logger.warn(
      { path: store.path },
      'receipt store is ahead of the status topic: rebuilding it',
    );
    await store.clear();
    return new Map();
  }

  /** Batches the table's changes: one transaction per batch while catching up, with its offsets. */
  #enqueue(record: PendingRecord): Promise<void> | undefined {
    this.#batch.push(record);
    if (this.#batch.length >= (this.#options.batchSize ?? 2_000)) return this.#flush();
    if (this.#ready)
      this.#timer ??= setTimeout(() => void this.#flush().catch(() => undefined), flushDelayMs);
    return undefined;
  }

  /**
   * Writes the batch and the offsets after it in one transaction. A failed write keeps the batch
   * for the next one, so the checkpoint never passes a record that is not in the store.
   */
  #flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushing = this.#flushing
      .catch(() => undefined)
      .then(async () => {
        const batch = this.#batch;
        if (batch.length === 0 || !this.#store || !this.#tables) return;
        this.#batch = [];
        const tables = this.#tables;
        const offsets = new Map<number, bigint>();
        for (const { partition, offset } of batch) offsets.set(partition, offset + 1n);
        try {
          await this.#store.write(
            () => {
              for (const { key, value } of batch) applyStatus(tables, key, value);
            },
            { source: this.#options.topic, offsets },
          );
        } catch (error) {
          this.#batch = [...batch, ...this.#batch];
          this.#options.logger.error(
            { err: error },
            'receipt store write failed: retrying with the next batch',
          );
          throw error;
        }
      });
    return this.#flushing;
  }
}
