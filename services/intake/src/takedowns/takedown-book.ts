import type { Logger } from '@triage/logging';
import { type KafkaConnection, recordCodec, TopicDiskCache } from '@triage/messaging';
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

/**
 * What validating takedown events needs of takedowns.v1 (event digests, notice cases, each URL's
 * latest time), in an on-disk store rebuilt from the topic (`TopicDiskCache`), so a restart or a
 * lost folder loses nothing. Events this instance publishes are applied once their transaction
 * committed (`record`); read back from the topic they change nothing (the rows are idempotent).
 */
export class TakedownBook {
  readonly #cache: TopicDiskCache<TakedownEvent, TakedownTables>;

  constructor(options: TakedownBookOptions) {
    this.#cache = new TopicDiskCache<TakedownEvent, TakedownTables>({
      name: 'intake-takedowns',
      connection: options.connection,
      topic: options.topic,
      codec: recordCodec(options.codec, 'TakedownEvent'),
      logger: options.logger,
      dir: options.dir,
      tableNames: takedownTableNames,
      format: storeFormat,
      tables: (store) => ({
        events: store.table('events'),
        cases: store.table('cases'),
        noticeOwners: store.table('noticeOwners'),
        urls: store.table('urls'),
      }),
      apply: (tables, _key, value) => {
        if (value !== null) applyTakedown(tables, value);
      },
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
  }

  /** True once takedowns.v1 has been read to its end: before that no event may be validated. */
  get ready(): boolean {
    return this.#cache.ready;
  }

  /** The store's tables (only while ready). */
  get tables(): TakedownTables {
    return this.#cache.tables;
  }

  /** Opens the store and reads the topic from its checkpoint, retrying while Kafka is unavailable. */
  start(): Promise<void> {
    return this.#cache.start();
  }

  /** Applies events this instance has just published (their transaction committed), on disk before it returns. */
  record(records: readonly TakedownEvent[]): void {
    this.#cache.writeSync((tables) => {
      for (const record of records) applyTakedown(tables, record);
    });
  }

  close(): Promise<void> {
    return this.#cache.close();
  }
}
