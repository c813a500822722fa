import { TriageError, toTriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { KafkaConnection } from '../kafka/connection.ts';
import type { OutboundRecord } from '../producer/record-producer.ts';
import { PartitionReader } from './partition-reader.ts';
import { UndecodableRecords, type ValueCodec } from './undecodable-records.ts';

export interface KeyedStateStoreOptions<V> {
  /** Store name, e.g. `hasher.dedupe`; used in client ids. */
  name: string;
  connection: KafkaConnection;
  /** Deployed name of the compacted changelog topic, co-partitioned with the input topic. */
  changelogTopic: string;
  codec: ValueCodec<V>;
  /** Where changelog records that cannot be decoded are reported (they are set aside, not applied). */
  logger: Logger;
  /**
   * Groups keys, e.g. a report's items under the report id, so `group()` lists them without a
   * scan. The group of a key must not change while the key exists.
   */
  groupOf?: (key: string, value: V) => string;
}

/**
 * What the consumer runner needs of a store: follow the group's assignment, restore a partition
 * before its first record is handled, and hand over the changelog writes of a batch so they are
 * produced (acks=all) before the input offsets are committed.
 */
export interface PartitionedStore {
  readonly name: string;
  assign(partitions: readonly number[]): void;
  ensureRestored(partition: number): Promise<void>;
  /** Whether the partition is restored and still assigned here. */
  holds(partition: number): boolean;
  drainWrites(): OutboundRecord[];
  /** The drained writes are acknowledged by the changelog (a store on disk writes them now). */
  acknowledged?(): void;
  /** The writes not acknowledged will not be: their input is read again (a store on disk drops them). */
  rollBack?(): void;
  /** Changelog records set aside on restore because they could not be decoded. */
  readonly undecodable: number;
  /** Keys held here, over every partition this instance holds (a metrics gauge). */
  size(): number;
  /** Values kept decoded on the heap (a metrics gauge): every one in memory, a bounded cache and unacknowledged writes on disk. */
  heapValues(): number;
  close(): Promise<void>;
}

/** What a stage reads and writes: keyed state per input partition (in memory or on disk). */
export interface KeyedStore<V> extends PartitionedStore {
  get(partition: number, key: string): V | undefined;
  put(partition: number, key: string, value: V): void;
  delete(partition: number, key: string): void;
  /** The keys and values of one group in a partition (empty when there are none). */
  group(partition: number, group: string): ReadonlyMap<string, V>;
  /**
   * The keys of one group, without reading their values (a store on disk decodes none). On disk
   * it holds a cursor until iterated to the end or closed: take it with for-of, not a bare `next()`.
   */
  groupKeys(partition: number, group: string): IterableIterator<string>;
  /** How many keys one group holds, without reading their values. */
  groupSize(partition: number, group: string): number;
  /** Every key and value of a partition held here. */
  entries(partition: number): IterableIterator<[string, V]>;
  size(partition?: number): number;
  /** Partitions the group assigned to this instance (restored or not). */
  readonly assigned: readonly number[];
  /** Partitions restored and held here. */
  readonly held: readonly number[];
}

const noEntries: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * A key-value store per input partition, held in memory and backed by a compacted changelog.
 * Partition p of the store is partition p of the changelog, so when the group moves input
 * partition p to another instance, that instance rebuilds exactly that state from Kafka alone.
 * Updates should be set-like (by id) so a replayed input gives the same state.
 */
export class KeyedStateStore<V> implements KeyedStore<V> {
  readonly name: string;
  readonly #options: KeyedStateStoreOptions<V>;
  readonly #partitions = new Map<number, Map<string, V>>();
  /** Per partition: group -> its keys and values (only with `groupOf`). */
  readonly #groups = new Map<number, Map<string, Map<string, V>>>();
  readonly #restoring = new Map<number, Promise<void>>();
  #assigned = new Set<number>();
  #pending: OutboundRecord[] = [];
  readonly #undecodable: UndecodableRecords;

  constructor(options: KeyedStateStoreOptions<V>) {
    this.name = options.name;
    this.#options = options;
    this.#undecodable = new UndecodableRecords({
      name: options.name,
      topic: options.changelogTopic,
      logger: options.logger,
    });
  }

  get undecodable(): number {
    return this.#undecodable.count;
  }

  get(partition: number, key: string): V | undefined {
    return this.#ready(partition).get(key);
  }

  put(partition: number, key: string, value: V): void {
    this.#ready(partition).set(key, value);
    this.#grouped(partition, key, value);
    this.#pending.push({
      topic: this.#options.changelogTopic,
      partition,
      key,
      value: this.#options.codec.encode(value),
    });
  }

  delete(partition: number, key: string): void {
    const state = this.#ready(partition);
    const value = state.get(key);
    state.delete(key);
    if (value !== undefined) this.#ungrouped(partition, key, value);
    this.#pending.push({ topic: this.#options.changelogTopic, partition, key, value: null });
  }

  /** The keys and values of one group in a partition (empty when there are none). */
  group(partition: number, group: string): ReadonlyMap<string, V> {
    this.#ready(partition);
    return this.#groups.get(partition)?.get(group) ?? noEntries;
  }

  groupKeys(partition: number, group: string): IterableIterator<string> {
    this.#ready(partition);
    return (this.#groups.get(partition)?.get(group) ?? noEntries).keys();
  }

  groupSize(partition: number, group: string): number {
    this.#ready(partition);
    return this.#groups.get(partition)?.get(group)?.size ?? 0;
  }

  /** Every key and value of a partition held here. */
  entries(partition: number): IterableIterator<[string, V]> {
    return this.#ready(partition).entries();
  }

  /** Number of keys held for a partition (0 when it is not held here); without one, over all partitions held. */
  size(partition?: number): number {
    if (partition !== undefined) return this.#partitions.get(partition)?.size ?? 0;
    let keys = 0;
    for (const state of this.#partitions.values()) keys += state.size;
    return keys;
  }

  heapValues(): number {
    return this.size();
  }

  /** Partitions the group assigned to this instance (restored or not). */
  get assigned(): readonly number[] {
    return [...this.#assigned].sort((a, b) => a - b);
  }

  holds(partition: number): boolean {
    return this.#partitions.has(partition);
  }

  /** Partitions restored and held here, ready for `get` and `put`. */
  get held(): readonly number[] {
    return [...this.#partitions.keys()].sort((a, b) => a - b);
  }

  /** Drops partitions the group took away; their state now lives with another instance. */
  assign(partitions: readonly number[]): void {
    this.#assigned = new Set(partitions);
    for (const partition of [...this.#partitions.keys()]) {
      if (!this.#assigned.has(partition)) {
        this.#partitions.delete(partition);
        this.#groups.delete(partition);
      }
    }
  }

  ensureRestored(partition: number): Promise<void> {
    if (this.#partitions.has(partition)) return Promise.resolve();
    let restoring = this.#restoring.get(partition);
    if (!restoring) {
      restoring = this.#restore(partition).finally(() => this.#restoring.delete(partition));
      this.#restoring.set(partition, restoring);
    }
    return restoring;
  }

  drainWrites(): OutboundRecord[] {
    const writes = this.#pending;
    this.#pending = [];
    return writes;
  }

  async close(): Promise<void> {
    this.#partitions.clear();
    this.#groups.clear();
    this.#pending = [];
  }

  async #restore(partition: number): Promise<void> {
    const state = new Map<string, V>();
    const reader = new PartitionReader({
      connection: this.#options.connection,
      topic: this.#options.changelogTopic,
      partitions: [partition],
      name: `${this.name}-restore-${partition}`,
    });
    try {
      // From offset 0 of this partition: read without `from`, the reader hands out the records of
      // the partitions below it too (found by `pnpm bench state`: partition p held 0..p's keys).
      await reader.readToEnd(
        (record) => {
          const decoded = this.#undecodable.decode(this.#options.codec, record);
          if (decoded === undefined) return;
          if (decoded.value === null) state.delete(record.key);
          else state.set(record.key, decoded.value);
        },
        new Map([[partition, 0n]]),
      );
    } catch (error) {
      throw new TriageError(
        'TRIAGE_STATE_RESTORE_FAILED',
        `store ${this.name}: restore of partition ${partition}`,
        {
          cause: toTriageError(error),
        },
      );
    } finally {
      await reader.close();
    }
    // The group may have moved the partition away while it was being restored.
    if (!this.#assigned.has(partition)) return;
    this.#partitions.set(partition, state);
    this.#groups.delete(partition);
    for (const [key, value] of state) this.#grouped(partition, key, value);
  }

  #grouped(partition: number, key: string, value: V): void {
    if (!this.#options.groupOf) return;
    const name = this.#options.groupOf(key, value);
    let groups = this.#groups.get(partition);
    if (!groups) {
      groups = new Map();
      this.#groups.set(partition, groups);
    }
    let members = groups.get(name);
    if (!members) {
      members = new Map();
      groups.set(name, members);
    }
    members.set(key, value);
  }

  #ungrouped(partition: number, key: string, value: V): void {
    if (!this.#options.groupOf) return;
    const name = this.#options.groupOf(key, value);
    const groups = this.#groups.get(partition);
    const members = groups?.get(name);
    members?.delete(key);
    if (members?.size === 0) groups?.delete(name);
  }

  #ready(partition: number): Map<string, V> {
    const state = this.#partitions.get(partition);
    if (!state) {
      throw new TriageError(
        'TRIAGE_INTERNAL',
        `store ${this.name}: partition ${partition} used before it was restored`,
      );
    }
    return state;
  }
}
