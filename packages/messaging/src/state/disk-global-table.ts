import { toTriageError } from '@triage/errors';
import type { DiskTable } from './disk-store.ts';
import { GlobalTable, type MaterialisedTable } from './global-table.ts';
import { LruCache } from './lru-cache.ts';
import { type StoredRecord, TopicDiskCache, type TopicDiskCacheOptions } from './topic-disk-cache.ts';

export interface DiskGlobalTableOptions<V>
  extends Pick<
    TopicDiskCacheOptions<V, unknown>,
    'name' | 'connection' | 'topic' | 'codec' | 'logger' | 'dir' | 'retryDelayMs' | 'batchSize'
  > {
  /** Decoded rows kept on the heap (least recently used dropped first); the rest are read from disk. */
  cacheEntries?: number;
  /**
   * Called for every change, after `get` sees it, with the row it replaced. At a start from the
   * checkpoint, first once for every row already on disk (`previous` undefined), so a reader
   * that keeps an index of the rows in memory gets the calls a `GlobalTable` reading the
   * compacted topic from its beginning makes.
   */
  onChange?: (key: string, value: V | null, previous: V | undefined) => void;
}

/** The rows are the topic's own bytes, decoded on read: only this layout changes the format. */
const storeFormat = 'global-table-1';

/**
 * `GlobalTable` on disk: the rows of a compacted topic in an LMDB store of this instance
 * (`TopicDiskCache`: written with the topic offsets they reflect, so a restart reads only the
 * topic's tail; a missing, unreadable or other-format store, or one ahead of the topic, is
 * rebuilt from the beginning). Only a bounded cache of decoded rows, and the records read but
 * not yet written (a batch, at most 20 ms once caught up), are on the heap. `get` is synchronous
 * and sees a record as soon as it is read, as `GlobalTable`'s does.
 */
export class DiskGlobalTable<V> implements MaterialisedTable<V> {
  readonly #options: DiskGlobalTableOptions<V>;
  readonly #cache: TopicDiskCache<V, DiskTable<Buffer>>;
  /** Records read and not yet in the store, by key: the latest one answers for its key. */
  readonly #unstored = new Map<string, StoredRecord<V>>();
  /** Decoded rows, least recently used first. */
  readonly #decoded: LruCache<V>;
  #notApplied = 0;

  constructor(options: DiskGlobalTableOptions<V>) {
    this.#options = options;
    this.#decoded = new LruCache<V>(options.cacheEntries ?? 10_000);
    this.#cache = new TopicDiskCache<V, DiskTable<Buffer>>({
      name: options.name,
      connection: options.connection,
      topic: options.topic,
      codec: options.codec,
      logger: options.logger,
      dir: options.dir,
      tableNames: ['rows'],
      format: storeFormat,
      tables: (store) => store.table<Buffer>('rows'),
      apply: (rows, key, _value, bytes) => {
        if (bytes === null) rows.remove(key);
        else rows.put(key, bytes);
      },
      resumed: (rows) => this.#replay(rows),
      received: (record) => this.#received(record),
      stored: (records) => this.#stored(records),
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }

  get(key: string): V | undefined {
    const unstored = this.#unstored.get(key);
    if (unstored) return unstored.value ?? undefined;
    const cached = this.#decoded.get(key);
    if (cached !== undefined) return cached;
    const bytes = this.#cache.loading?.get(key);
    if (bytes === undefined) return undefined;
    const value = this.#decode(key, bytes);
    if (value !== undefined) this.#decoded.set(key, value);
    return value;
  }

  get size(): number {
    const rows = this.#cache.loading;
    if (!rows) return 0;
    let size = rows.count();
    for (const [key, record] of this.#unstored) {
      const onDisk = rows.get(key) !== undefined;
      if (record.value === null && onDisk) size -= 1;
      if (record.value !== null && !onDisk) size += 1;
    }
    return size;
  }

  /** The keys on disk in key order, then those read and not yet written; no row is read or decoded. */
  *keys(prefix?: string): IterableIterator<string> {
    for (const key of this.#cache.loading?.keys(prefix) ?? []) if (!this.#unstored.has(key)) yield key;
    for (const record of this.#unstored.values()) {
      if (record.value !== null && (prefix === undefined || record.key.startsWith(prefix))) yield record.key;
    }
  }

  /** The rows on disk in key order, then those read and not yet written; the scan does not fill the cache. */
  *entries(prefix?: string): IterableIterator<[string, V]> {
    const unstored = [...this.#unstored.values()].filter(
      (record) => prefix === undefined || record.key.startsWith(prefix),
    );
    const skip = new Set(unstored.map((record) => record.key));
    for (const [key, bytes] of this.#cache.loading?.entries(prefix) ?? []) {
      if (skip.has(key)) continue;
      const value = this.#decoded.get(key) ?? this.#decode(key, bytes);
      if (value !== undefined) yield [key, value];
    }
    for (const record of unstored) if (record.value !== null) yield [record.key, record.value];
  }

  /** What the last start read of the topic, and why the store was rebuilt (null: resumed from its checkpoint). */
  get restore(): { readonly recordsRead: number; readonly rebuiltBecause: string | null } {
    return this.#cache.restore;
  }

  /** True once the topic has been read to its end. */
  get ready(): boolean {
    return this.#cache.ready;
  }

  /** Opens the store and reads the topic from its checkpoint, retrying while Kafka is unavailable. */
  start(): Promise<void> {
    return this.#cache.start();
  }

  async close(): Promise<void> {
    await this.#cache.close();
    this.#decoded.clear();
  }

  get skipped(): number {
    return this.#cache.skipped + this.#notApplied;
  }

  /** The rows already on disk, handed to `onChange` once before the tail is read. */
  #replay(rows: DiskTable<Buffer>): void {
    const { onChange } = this.#options;
    if (!onChange) return;
    for (const [key, bytes] of rows.entries()) {
      const value = this.#decode(key, bytes);
      if (value !== undefined) this.#changed(key, value, undefined);
    }
  }

  #received(record: StoredRecord<V>): void {
    const previous = this.get(record.key);
    this.#unstored.set(record.key, record);
    this.#decoded.delete(record.key);
    this.#changed(record.key, record.value, previous);
  }

  /** A change handler that throws skips the change (logged and counted), never the row: it is written. */
  #changed(key: string, value: V | null, previous: V | undefined): void {
    try {
      this.#options.onChange?.(key, value, previous);
    } catch (error) {
      this.#notApplied += 1;
      this.#options.logger.warn(
        { table: this.#options.name, err: toTriageError(error) },
        'table row not applied',
      );
    }
  }

  #stored(records: readonly StoredRecord<V>[]): void {
    for (const record of records) {
      // A later record of the key, still unstored, keeps answering for it.
      if (this.#unstored.get(record.key) !== record) continue;
      this.#unstored.delete(record.key);
      if (record.value !== null) this.#decoded.set(record.key, record.value);
    }
  }

  /** Rows hold the bytes the topic had: one that no longer decodes is treated as absent. */
  #decode(key: string, bytes: Buffer): V | undefined {
    try {
      return this.#options.codec.decode(Buffer.from(bytes));
    } catch (error) {
      this.#options.logger.warn(
        { err: error, table: this.#options.name, key },
        'table row not decodable: treated as absent',
      );
      return undefined;
    }
  }
}

/**
 * A global table on disk under `dir` (the default of every service), or in memory when `dir` is
 * null (the benchmarks' baseline, and tests that want no folder). `keepRows` applies in memory
 * only: on disk the rows are what the table keeps.
 */
export function createGlobalTable<V>(
  options: Omit<DiskGlobalTableOptions<V>, 'dir'> & { dir: string | null; keepRows?: boolean },
): MaterialisedTable<V> {
  const { dir } = options;
  if (dir === null) {
    const { name, connection, topic, codec, logger, keepRows, onChange } = options;
    return new GlobalTable<V>({
      ...{ name, connection, topic, codec, logger },
      ...(keepRows === undefined ? {} : { keepRows }),
      ...(onChange === undefined ? {} : { onChange }),
    });
  }
  return new DiskGlobalTable<V>({ ...options, dir });
}
