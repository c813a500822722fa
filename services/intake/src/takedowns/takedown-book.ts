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
import type { Codec, TakedownEvent } from '@triage/schemas';
import { applyTakedown, type TakedownTables, takedownTableNames } from './takedown-rows.ts';

export interface TakedownBookOptions {
  connection: KafkaConnection;
  /** Deployed name of takedowns.v1. */
  topic: string;
  codec: Codec;
  logger: Logger;
  /** This instance's folder (`INTAKE_TAKEDOWNS_DIR`); the store lies in a subfolder named after the topic. */
  dir: string;
  /** Wait between attempts to load the topic while Kafka is down (doubled up to 15 s). */
  retryDelayMs?: number;
}

/** Bump when what the rows mean changes: a store of another format is rebuilt from the topic. */
const storeFormat = 'takedowns-1';
/** Records read from the topic written per store transaction while catching up. */
const batchSize = 2_000;
/** After catching up, records of other instances are written at most this long after they arrive. */
const flushDelayMs = 20;

interface ReadRecord {
  record: TakedownEvent;
  partition: number;
  offset: bigint;
}

/**
 * What validating takedown events needs of takedowns.v1 (event digests, notice cases, each URL's
 * latest time), in an on-disk store (LMDB) rebuilt from the topic: the store keeps the offsets
 * it reflects, so a restart reads the topic's tail, and a missing or damaged store is read again
 * from the beginning. Events this instance publishes are applied once committed (`record`); read
 * back from the topic they change nothing (the rows are idempotent).
 */
export class TakedownBook {
  readonly #options: TakedownBookOptions;
  #store: DiskStore | undefined;
  #tables: TakedownTables | undefined;
  #table: GlobalTable<TakedownEvent> | undefined;
  #batch: ReadRecord[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #ready = false;
  #closed = false;
  #starting: Promise<void> | undefined;
  #opening: Promise<DiskStore> | undefined;

  constructor(options: TakedownBookOptions) {
    this.#options = options;
  }

  /** True once the topic has been read to its end: before that no event may be validated. */
  get ready(): boolean {
    return this.#ready;
  }

  /** The store's tables (only while ready). */
  get tables(): TakedownTables {
    if (!this.#ready || !this.#tables) throw new Error('the takedown store is not loaded');
    return this.#tables;
  }

  /** Opens the store and reads the topic from its checkpoint, retrying while Kafka is unavailable. */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /** Applies events this instance has just published (their transaction committed), on disk before it returns. */
  record(records: readonly TakedownEvent[]): void {
    const tables = this.tables;
    this.#store!.writeSync(() => {
      for (const record of records) applyTakedown(tables, record);
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
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        // A folder that cannot be written is retried like Kafka being down: logged, refusing events.
        this.#opening ??= this.#openStore();
        const store = await this.#opening;
        if (this.#closed) return;
        const table = new GlobalTable<TakedownEvent>({
          name: 'intake-takedowns',
          connection: this.#options.connection,
          topic: this.#options.topic,
          codec: recordCodec(this.#options.codec, 'TakedownEvent'),
          logger,
          keepRows: false,
          startAt: (ends) => this.#startAt(ends),
          onChange: (_key, value, _previous, { partition, offset }) =>
            value === null ? undefined : this.#enqueue({ record: value, partition, offset }),
        });
        this.#table = table;
        await table.start();
        await this.#flush();
        this.#ready = true;
        logger.info({ path: store.path }, 'takedown store caught up with takedowns.v1');
        return;
      } catch (error) {
        logger.warn({ err: error, attempt }, 'takedown store not loaded: intake refuses takedown events');
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
      tables: takedownTableNames,
      format: storeFormat,
      logger: this.#options.logger,
    });
    if (store.rebuiltBecause) {
      this.#options.logger.info(
        { path: store.path, because: store.rebuiltBecause },
        'takedown store rebuilt from takedowns.v1',
      );
    }
    this.#store = store;
    this.#tables = {
      events: store.table('events'),
      cases: store.table('cases'),
      noticeOwners: store.table('noticeOwners'),
      urls: store.table('urls'),
    };
    return store;
  }

  /** Resumes from the checkpoint; one past a partition's end means the topic was recreated: start over. */
  async #startAt(ends: ReadonlyMap<number, bigint>): Promise<ReadonlyMap<number, bigint>> {
    const store = this.#store!;
    const checkpoint = store.checkpoint(this.#options.topic);
    const ahead = [...checkpoint].some(([partition, offset]) => offset > (ends.get(partition) ?? 0n));
    if (!ahead) return checkpoint;
    this.#options.logger.warn({ path: store.path }, 'takedown store is ahead of takedowns.v1: rebuilding it');
    await store.clear();
    return new Map();
  }

  #enqueue(record: ReadRecord): Promise<void> | undefined {
    this.#batch.push(record);
    if (this.#batch.length >= batchSize) return this.#flush();
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
              for (const { record } of batch) applyTakedown(tables, record);
            },
            { source: this.#options.topic, offsets },
          );
        } catch (error) {
          this.#batch = [...batch, ...this.#batch];
          this.#options.logger.error(
            { err: error },
            'takedown store write failed: retrying with the next batch',
          );
          throw error;
        }
      });
    return this.#flushing;
  }
}
