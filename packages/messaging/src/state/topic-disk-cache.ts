import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@triage/logging';
import type { KafkaConnection } from '../kafka/connection.ts';
import type { DiskStore } from './disk-store.ts';
import { GlobalTable } from './global-table.ts';
import { openLmdbStore } from './lmdb-store.ts';
import type { ValueCodec } from './undecodable-records.ts';

export interface TopicDiskCacheOptions<V, T> {
  /** The topic reader's name (client id part, so no spaces: `intake-takedowns`); on its log lines. */
  name: string;
  connection: KafkaConnection;
  /** Deployed name of the topic the cache is rebuilt from. */
  topic: string;
  codec: ValueCodec<V>;
  logger: Logger;
  /** This instance's folder; the store lies in a subfolder named after the topic. */
  dir: string;
  /** The store's tables, and the version of what their rows mean (another version is rebuilt). */
  tableNames: readonly string[];
  format: string;
  /** The typed view of the store's tables. */
  tables: (store: DiskStore) => T;
  /**
   * Applies one record read from the topic, inside the store transaction of its batch
   * (idempotent: own records are read back too); `bytes` is the record's value as on the topic.
   */
  apply: (tables: T, key: string, value: V | null, bytes: Buffer | null) => void;
  /**
   * Called once, when the store resumes from its checkpoint (not when it is rebuilt), before its
   * tail is read: for an owner that keeps an index of the rows in memory.
   */
  resumed?: (tables: T) => Promise<void> | void;
  /** Each record as it is read, before its batch reaches the store (`stored` gets the same object). */
  received?: (record: StoredRecord<V>) => void;
  /** A batch just committed to the store, in topic order. */
  stored?: (records: readonly StoredRecord<V>[]) => void;
  /** Wait between attempts to load the topic while Kafka is down (doubled up to 15 s). */
  retryDelayMs?: number;
  /** Records read from the topic written per store transaction while catching up (default 2 000). */
  batchSize?: number;
}

/** After catching up, records from other instances are written at most this long after they arrive. */
const flushDelayMs = 20;

/** A record of the topic as the cache writes it. */
export interface StoredRecord<V> {
  readonly key: string;
  readonly value: V | null;
  /** The record's value as on the topic (null for a tombstone). */
  readonly bytes: Buffer | null;
  readonly partition: number;
  readonly offset: bigint;
}

/**
 * A topic kept in an on-disk store (LMDB) that this instance rebuilds from it: the store holds
 * the topic offsets it reflects, written with the rows, so a restart reads only the topic's
 * tail; a missing, unreadable or older-format store, or one ahead of the topic (recreated), is
 * rebuilt from the beginning. Intake keeps its receipts and takedown events in one each (tables
 * derived from the records); `DiskGlobalTable` keeps a topic's rows in one.
 */
export class TopicDiskCache<V, T> {
  readonly #options: TopicDiskCacheOptions<V, T>;
  #store: DiskStore | undefined;
  #tables: T | undefined;
  #table: GlobalTable<V> | undefined;
  #batch: StoredRecord<V>[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #ready = false;
  #closed = false;
  #starting: Promise<void> | undefined;
  #opening: Promise<DiskStore> | undefined;
  #resumed = false;
  #rebuiltBecause: string | null = null;
  #recordsRead = 0;

  constructor(options: TopicDiskCacheOptions<V, T>) {
    this.#options = options;
  }

  /** True once the topic has been read to its end. */
  get ready(): boolean {
    return this.#ready;
  }

  /** The store's tables, once ready. */
  get tables(): T {
    if (!this.#ready || !this.#tables) throw new Error(`store ${this.#options.name} is not loaded`);
    return this.#tables;
  }

  /**
   * What the last start read: the records of the topic (only its tail after a checkpoint), and why
   * the store was started empty (`missing`, `unreadable`, `format`, `ahead`), or null when resumed.
   */
  get restore(): { readonly recordsRead: number; readonly rebuiltBecause: string | null } {
    return { recordsRead: this.#recordsRead, rebuiltBecause: this.#rebuiltBecause };
  }

  /** Records of the topic skipped because they could not be decoded. */
  get skipped(): number {
    return this.#table?.skipped ?? 0;
  }

  /** The store's tables as far as they are loaded (while catching up too); undefined before the store is open. */
  get loading(): T | undefined {
    return this.#tables;
  }

  /** Opens the store and reads the topic from its checkpoint, retrying while Kafka is unavailable. */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /** Writes what this instance has just published, on disk before it returns. */
  writeSync(change: (tables: T) => void): void {
    const tables = this.tables;
    this.#store!.writeSync(() => change(tables));
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
    const { logger, name } = this.#options;
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        // A folder that cannot be written is retried like Kafka being down.
        this.#opening ??= this.#openStore();
        const store = await this.#opening;
        if (this.#closed) return;
        const table = new GlobalTable<V>({
          name,
          connection: this.#options.connection,
          topic: this.#options.topic,
          codec: this.#options.codec,
          logger,
          keepRows: false,
          startAt: (ends) => this.#startAt(ends),
          onChange: (key, value, _previous, { partition, offset, value: bytes }) =>
            this.#enqueue({ key, value, bytes, partition, offset }),
        });
        this.#table = table;
        await table.start();
        await this.#flush();
        this.#ready = true;
        logger.info({ store: name, path: store.path }, 'store caught up with its topic');
        return;
      } catch (error) {
        logger.warn({ err: error, attempt, store: name }, 'store not loaded from its topic yet');
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
      tables: this.#options.tableNames,
      format: this.#options.format,
      logger: this.#options.logger,
    });
    if (store.rebuiltBecause) {
      this.#options.logger.info(
        { store: this.#options.name, path: store.path, because: store.rebuiltBecause },
        'store rebuilt from its topic',
      );
    }
    this.#store = store;
    this.#rebuiltBecause = store.rebuiltBecause;
    this.#tables = this.#options.tables(store);
    return store;
  }

  /** Resumes from the checkpoint; one past a partition's end means the topic was recreated: start over. */
  async #startAt(ends: ReadonlyMap<number, bigint>): Promise<ReadonlyMap<number, bigint>> {
    const store = this.#store!;
    const checkpoint = store.checkpoint(this.#options.topic);
    const ahead = [...checkpoint].some(([partition, offset]) => offset > (ends.get(partition) ?? 0n));
    if (!ahead) {
      // Once: a start retried after Kafka failed resumes the same store.
      if (!this.#resumed && store.rebuiltBecause === null) await this.#options.resumed?.(this.#tables!);
      this.#resumed = true;
      return checkpoint;
    }
    this.#options.logger.warn(
      { store: this.#options.name, path: store.path },
      'store is ahead of its topic: rebuilding it',
    );
    await store.clear();
    this.#rebuiltBecause = 'ahead';
    return new Map();
  }

  #enqueue(record: StoredRecord<V>): Promise<void> | undefined {
    this.#recordsRead += 1;
    this.#options.received?.(record);
    this.#batch.push(record);
    if (this.#batch.length >= (this.#options.batchSize ?? 2_000)) return this.#flush();
    if (this.#ready)
      this.#timer ??= setTimeout(() => void this.#flush().catch(() => undefined), flushDelayMs);
    return undefined;
  }

  /** Writes the batch with the offsets after it in one store transaction; a failed write keeps the batch. */
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
              for (const { key, value, bytes } of batch) this.#options.apply(tables, key, value, bytes);
            },
            { source: this.#options.topic, offsets },
          );
        } catch (error) {
          this.#batch = [...batch, ...this.#batch];
          this.#options.logger.error(
            { err: error, store: this.#options.name },
            'store write failed: retrying with the next batch',
          );
          throw error;
        }
        this.#options.stored?.(batch);
      });
    return this.#flushing;
  }
}
