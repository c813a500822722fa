import { setTimeout as sleep } from 'node:timers/promises';
import { toTriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { KafkaConnection } from '../kafka/connection.ts';
import { PartitionReader, type TableRecord } from './partition-reader.ts';
import { UndecodableRecords, type ValueCodec } from './undecodable-records.ts';

/** A compacted topic every instance keeps whole: in memory (`GlobalTable`) or on disk (`DiskGlobalTable`). */
export interface MaterialisedTable<V> {
  get(key: string): V | undefined;
  /** Rows held (0 for a table in memory that keeps none). */
  readonly size: number;
  /** Keys and values, only those whose key starts with `prefix` when given. */
  entries(prefix?: string): IterableIterator<[string, V]>;
  /** Keys alone (nothing decoded), only those starting with `prefix` when given. */
  keys(prefix?: string): IterableIterator<string>;
  /** Starts following the topic; resolves when the table has caught up with it. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Rows skipped because they could not be decoded or applied. */
  readonly skipped: number;
}

export interface GlobalTableOptions<V> {
  name: string;
  connection: KafkaConnection;
  /** Deployed name of the compacted topic to materialise. */
  topic: string;
  codec: ValueCodec<V>;
  logger: Logger;
  /**
   * Called for every change after it is applied (e.g. to maintain a search index), with the
   * record's partition, offset and bytes. A returned promise is awaited before the next record
   * (a store on disk writing its batch).
   */
  onChange?: (
    key: string,
    value: V | null,
    previous: V | undefined,
    record: Pick<TableRecord, 'partition' | 'offset' | 'value'>,
  ) => unknown;
  /**
   * Where to start each partition, given the end offsets (a store on disk resumes from its
   * checkpoint); every partition from its beginning when omitted.
   */
  startAt?: (ends: ReadonlyMap<number, bigint>) => Promise<ReadonlyMap<number, bigint>>;
  /**
   * False: rows are only handed to `onChange`, not kept (`get` finds nothing, `previous` is
   * undefined). For tables of millions of rows whose reader keeps its own compact form.
   */
  keepRows?: boolean;
}

/**
 * Every partition of a compacted topic, materialised in this instance and kept current.
 * `ready` resolves once the table holds everything written before `start()`.
 */
export class GlobalTable<V> implements MaterialisedTable<V> {
  readonly #options: GlobalTableOptions<V>;
  readonly #rows = new Map<string, V>();
  #reader: PartitionReader | undefined;
  #following: Promise<void> | undefined;
  #ready: Promise<void> | undefined;
  #closed = false;
  /** Rows whose change handler failed. */
  #notAppliedCount = 0;
  readonly #undecodable: UndecodableRecords;

  constructor(options: GlobalTableOptions<V>) {
    this.#options = options;
    this.#undecodable = new UndecodableRecords({
      name: options.name,
      topic: options.topic,
      logger: options.logger,
    });
  }

  get(key: string): V | undefined {
    return this.#rows.get(key);
  }

  get size(): number {
    return this.#rows.size;
  }

  *keys(prefix?: string): IterableIterator<string> {
    for (const key of this.#rows.keys()) if (prefix === undefined || key.startsWith(prefix)) yield key;
  }

  *entries(prefix?: string): IterableIterator<[string, V]> {
    for (const entry of this.#rows) if (prefix === undefined || entry[0].startsWith(prefix)) yield entry;
  }

  /** Starts following the topic; resolves when the table has caught up with it. */
  start(): Promise<void> {
    this.#ready ??= this.#start();
    return this.#ready;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#reader?.close();
    await this.#following;
  }

  async #start(): Promise<void> {
    const ends = await this.#newReader().endOffsets();
    const from = (await this.#options.startAt?.(ends)) ?? new Map<number, bigint>();
    const next = new Map<number, bigint>(
      [...ends.keys()].map((partition) => [partition, from.get(partition) ?? 0n]),
    );
    const pending = new Set(
      [...ends].filter(([partition, end]) => end > next.get(partition)!).map(([partition]) => partition),
    );
    let caughtUp: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      caughtUp = resolve;
    });
    // A record handed out but still being applied (an async onChange) is not caught up yet.
    let applyingRecord = false;
    const settle = () => {
      if (applyingRecord) return;
      for (const partition of pending) {
        if (this.#reader?.handedOutTo(partition, ends.get(partition) ?? 0n)) pending.delete(partition);
      }
      if (pending.size === 0) caughtUp();
    };
    if (pending.size === 0) caughtUp();
    // The last offsets may hold transaction markers or aborted records, which no record reaches.
    const settling = setInterval(settle, 100).unref();
    void ready.then(() => clearInterval(settling));
    this.#following = (async () => {
      // Follows until closed; a broker fault resumes from the next unread offset of each partition.
      for (let attempt = 0; !this.#closed; attempt++) {
        try {
          for await (const record of this.#reader!.follow(next)) {
            const applying = this.#apply(record);
            if (applying) {
              applyingRecord = true;
              await applying.finally(() => {
                applyingRecord = false;
              });
            }
            next.set(record.partition, record.offset + 1n);
            attempt = 0;
            if (pending.size === 0) continue;
            if (record.offset >= (ends.get(record.partition) ?? 0n) - 1n) pending.delete(record.partition);
            settle();
          }
        } catch (error) {
          if (this.#closed) break;
          this.#options.logger.warn(
            { err: error, table: this.#options.name, attempt },
            'global table reconnecting',
          );
        }
        await this.#reader?.close();
        if (this.#closed) break;
        await sleep(Math.min(500 * 2 ** attempt, 10_000));
        this.#newReader();
      }
      clearInterval(settling);
    })();
    await ready;
  }

  #newReader(): PartitionReader {
    this.#reader = new PartitionReader({
      connection: this.#options.connection,
      topic: this.#options.topic,
      name: this.#options.name,
    });
    return this.#reader;
  }

  /**
   * A record that cannot be decoded or applied is skipped with a warning: one bad row of a
   * shared table must not stop every instance from following it.
   */
  #apply(record: TableRecord): Promise<void> | undefined {
    const decoded = this.#undecodable.decode(this.#options.codec, record);
    if (decoded === undefined) return undefined;
    const { key } = record;
    const { value } = decoded;
    const previous = this.#rows.get(key);
    if (value === null) this.#rows.delete(key);
    else if (this.#options.keepRows !== false) this.#rows.set(key, value);
    try {
      const written = this.#options.onChange?.(key, value, previous, record);
      // Only a handler that returns a promise costs the follow loop an await.
      if (written instanceof Promise) return written.catch((error: unknown) => this.#notApplied(error));
    } catch (error) {
      this.#notApplied(error);
    }
    return undefined;
  }

  #notApplied(error: unknown): void {
    this.#notAppliedCount += 1;
    this.#options.logger.warn(
      { table: this.#options.name, err: toTriageError(error) },
      'table row not applied',
    );
  }

  /** Rows skipped because they could not be decoded or applied. */
  get skipped(): number {
    return this.#undecodable.count + this.#notAppliedCount;
  }
}
