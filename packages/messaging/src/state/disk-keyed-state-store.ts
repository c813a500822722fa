import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { TriageError, toTriageError } from '@triage/errors';
import type { OutboundRecord } from '../producer/record-producer.ts';
import type { DiskStore, DiskTable } from './disk-store.ts';
import { KeyedStateStore, type KeyedStateStoreOptions, type KeyedStore } from './keyed-state-store.ts';
import { openLmdbStore } from './lmdb-store.ts';
import { LruCache } from './lru-cache.ts';
import { PartitionReader, type TableRecord } from './partition-reader.ts';
import { UndecodableRecords } from './undecodable-records.ts';

export interface DiskKeyedStateStoreOptions<V> extends KeyedStateStoreOptions<V> {
  /**
   * This instance's folder for its stores: partition p of this store lives in
   * `<dir>/<changelog topic>/<p>`, removed when the partition moves to another instance.
   */
  dir: string;
  /** Decoded values kept on the heap (least recently used dropped first); the rest are read from disk. */
  cacheEntries?: number;
  /** Changelog records written to disk per transaction while restoring. */
  restoreBatch?: number;
}

/** Bump when what the rows mean changes: a store of another layout is rebuilt from its changelog. */
const storeFormat = 'keyed-state-1';
const tableNames = ['rows', 'groups'] as const;
/** Separates a group from its key in the groups table (no group or key holds it). */
const groupSeparator = '\u0000';

/** What the last restore of a partition did: how much of the changelog it read, and why from where. */
export interface PartitionRestore {
  /** The changelog offset it read from (the checkpoint; 0 for a rebuild). */
  readonly fromOffset: bigint;
  readonly recordsRead: number;
  /** Why the disk was started empty (`missing`, `unreadable`, `format`, `ahead`), or null when resumed. */
  readonly rebuiltBecause: string | null;
  readonly ms: number;
}

/** A write not yet on disk: the value (null when deleted) and the group it leaves or joins. */
interface PendingWrite<V> {
  readonly value: V | null;
  readonly group: string | null;
  /** The value as written to the changelog (what the disk keeps too: encoded once). */
  readonly bytes?: Buffer;
}

/** Per group, its keys written since the last acknowledgement: true joined, false left. */
type GroupWrites = Map<string, Map<string, boolean>>;

interface HeldPartition<V> {
  readonly store: DiskStore;
  /** key -> the changelog record's bytes (what the changelog holds, decoded on read). */
  readonly rows: DiskTable<Buffer>;
  /** `${group}\0${key}` -> 1, for `group()` without a scan. */
  readonly groups: DiskTable<1>;
  /** Writes since the last drain: visible to reads, not yet handed to the changelog. */
  pending: Map<string, PendingWrite<V>>;
  /** Writes handed to the changelog and not yet acknowledged: visible to reads, not on disk. */
  draining: Map<string, PendingWrite<V>>;
  /** `pending` and `draining` by group: a group's reads look at its own writes only. */
  pendingGroups: GroupWrites;
  drainingGroups: GroupWrites;
  /** Records drained and not yet acknowledged. */
  drainedRecords: number;
  /** The changelog offset after the last record the disk holds (the checkpoint written with it). */
  next: bigint;
}

/**
 * `KeyedStateStore` on disk: a key-value store per input partition in LMDB, backed by the same
 * compacted changelog. Only a bounded cache of values is on the heap. The disk holds exactly what
 * the changelog acknowledged: a batch's writes stay in memory (visible to reads) until the
 * runner reports them acknowledged (`acknowledged`), then go to disk in one transaction with the
 * changelog offset after them (the checkpoint), so a restart reads only the changelog's tail.
 * A missing, unreadable or other-layout store is rebuilt from the whole changelog; a store
 * whose checkpoint is past the changelog's end (the topic was recreated) too.
 *
 * The checkpoint counts the records this instance wrote since the restore: the partition's
 * changelog has one writer, the instance the group assigned the input partition to.
 */
export class DiskKeyedStateStore<V> implements KeyedStore<V> {
  readonly name: string;
  readonly #options: DiskKeyedStateStoreOptions<V>;
  readonly #partitions = new Map<number, HeldPartition<V>>();
  readonly #restoring = new Map<number, Promise<void>>();
  /** Partitions being closed (and removed when moved away): a restore of one waits for it. */
  readonly #releasing = new Map<number, Promise<void>>();
  /** The last look for folders of partitions not held here (`assign`). */
  #leftFolders: Promise<void> = Promise.resolve();
  readonly #cache: LruCache<V>;
  readonly #undecodable: UndecodableRecords;
  #assigned = new Set<number>();
  #outgoing: OutboundRecord[] = [];
  /** The last restore of each partition (for the log, tests and the bench). */
  readonly restores = new Map<number, PartitionRestore>();

  constructor(options: DiskKeyedStateStoreOptions<V>) {
    this.name = options.name;
    this.#options = options;
    this.#cache = new LruCache<V>(options.cacheEntries ?? 10_000);
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
    const held = this.#ready(partition);
    const written = held.pending.get(key) ?? held.draining.get(key);
    if (written) return written.value ?? undefined;
    return this.#stored(partition, held, key);
  }

  put(partition: number, key: string, value: V): void {
    const held = this.#ready(partition);
    const group = this.#options.groupOf ? this.#options.groupOf(key, value) : null;
    const bytes = this.#options.codec.encode(value);
    held.pending.set(key, { value, group, bytes });
    if (group !== null) joinGroup(held.pendingGroups, group, key, true);
    this.#outgoing.push({ topic: this.#options.changelogTopic, partition, key, value: bytes });
  }

  delete(partition: number, key: string): void {
    const held = this.#ready(partition);
    const previous = this.get(partition, key);
    const group =
      previous !== undefined && this.#options.groupOf ? this.#options.groupOf(key, previous) : null;
    held.pending.set(key, { value: null, group });
    if (group !== null) joinGroup(held.pendingGroups, group, key, false);
    this.#outgoing.push({ topic: this.#options.changelogTopic, partition, key, value: null });
  }

  /** The keys and values of one group in a partition (empty when there are none). */
  group(partition: number, group: string): ReadonlyMap<string, V> {
    const held = this.#ready(partition);
    const members = new Map<string, V>();
    const prefix = `${group}${groupSeparator}`;
    for (const member of held.groups.keys(prefix)) {
      const key = member.slice(prefix.length);
      const value = this.get(partition, key);
      if (value !== undefined) members.set(key, value);
    }
    // Written since the last acknowledgement: joined (not on disk yet) or left.
    for (const [key, joined] of writtenInGroup(held, group)) {
      const value = joined ? this.get(partition, key) : undefined;
      if (value === undefined) members.delete(key);
      else members.set(key, value);
    }
    return members;
  }

  groupKeys(partition: number, group: string): IterableIterator<string> {
    const held = this.#ready(partition);
    const written = writtenInGroup(held, group);
    const prefix = `${group}${groupSeparator}`;
    return (function* () {
      for (const member of held.groups.keys(prefix)) {
        const key = member.slice(prefix.length);
        if (!written.has(key)) yield key;
      }
      for (const [key, joined] of written) if (joined) yield key;
    })();
  }

  groupSize(partition: number, group: string): number {
    let keys = 0;
    for (const _key of this.groupKeys(partition, group)) keys += 1;
    return keys;
  }

  /** Every key and value of a partition held here. */
  *entries(partition: number): IterableIterator<[string, V]> {
    const held = this.#ready(partition);
    const written = new Map([...held.draining, ...held.pending]);
    for (const [key, bytes] of held.rows.entries()) {
      if (written.has(key)) continue;
      const value = this.#decodeStored(key, bytes);
      if (value !== undefined) yield [key, value];
    }
    for (const [key, write] of written) if (write.value !== null) yield [key, write.value];
  }

  heapValues(): number {
    let values = this.#cache.size;
    for (const held of this.#partitions.values()) values += held.pending.size + held.draining.size;
    return values;
  }

  /** Number of keys held for a partition (0 when it is not held here); without one, over all partitions held. */
  size(partition?: number): number {
    if (partition === undefined) {
      let keys = 0;
      for (const held of this.#partitions.keys()) keys += this.size(held);
      return keys;
    }
    const held = this.#partitions.get(partition);
    if (!held) return 0;
    let keys = held.rows.count();
    for (const [key, write] of new Map([...held.draining, ...held.pending])) {
      const onDisk = held.rows.get(key) !== undefined;
      if (write.value === null && onDisk) keys -= 1;
      if (write.value !== null && !onDisk) keys += 1;
    }
    return keys;
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

  /**
   * Drops partitions the group took away: their folders are removed, their state lives with
   * another instance. So do the folders an earlier run of this instance left (killed, or stopped)
   * for partitions it is not given now: kept, they would take the disk for state another instance
   * holds, and a restore from their old checkpoint, should the partition come back much later,
   * would miss deletes that compaction has since dropped from the changelog.
   */
  assign(partitions: readonly number[]): void {
    this.#assigned = new Set(partitions);
    for (const [partition, held] of [...this.#partitions]) {
      if (!this.#assigned.has(partition)) this.#release(partition, held, { keepFolder: false });
    }
    this.#leftFolders = this.#leftFolders.then(() => this.#removeLeftFolders());
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
    for (const held of this.#partitions.values()) {
      for (const [key, write] of held.pending) held.draining.set(key, write);
      held.pending = new Map();
      for (const [group, keys] of held.pendingGroups) {
        for (const [key, joined] of keys) joinGroup(held.drainingGroups, group, key, joined);
      }
      held.pendingGroups = new Map();
    }
    for (const record of this.#outgoing) {
      const held = this.#partitions.get(record.partition!);
      if (held) held.drainedRecords += 1;
    }
    const writes = this.#outgoing;
    this.#outgoing = [];
    return writes;
  }

  /**
   * The drained writes are on the changelog: each partition's go to disk in one transaction with
   * the offset after them, and their values into the cache.
   */
  acknowledged(): void {
    for (const [partition, held] of this.#partitions) {
      if (held.drainedRecords === 0) continue;
      const next = held.next + BigInt(held.drainedRecords);
      const writes = held.draining;
      held.store.writeSync(
        () => {
          for (const [key, write] of writes) this.#applyToDisk(held, key, write);
        },
        { source: this.#options.changelogTopic, offsets: new Map([[partition, next]]) },
      );
      held.next = next;
      held.drainedRecords = 0;
      held.draining = new Map();
      held.drainingGroups = new Map();
      for (const [key, write] of writes) {
        if (write.value === null) this.#cache.delete(cacheKey(partition, key));
        else this.#cache.set(cacheKey(partition, key), write.value);
      }
    }
  }

  /**
   * Writes not acknowledged are dropped, and every partition is restored again before its next
   * record: some of the dropped writes may have reached the changelog, so its end is read anew.
   */
  rollBack(): void {
    this.#outgoing = [];
    for (const [partition, held] of [...this.#partitions])
      this.#release(partition, held, { keepFolder: true });
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#restoring.values());
    await this.#leftFolders;
    const held = [...this.#partitions.values()];
    this.#partitions.clear();
    this.#cache.clear();
    this.#outgoing = [];
    await Promise.all(held.map((partition) => partition.store.close()));
    await Promise.allSettled(this.#releasing.values());
  }

  #folder(partition: number): string {
    return path.join(this.#options.dir, this.#options.changelogTopic, String(partition));
  }

  /** Stops holding a partition; its folder is removed unless it is kept for a restore here. */
  #release(partition: number, held: HeldPartition<V>, { keepFolder }: { keepFolder: boolean }): void {
    this.#partitions.delete(partition);
    this.#cache.deletePrefix(cacheKey(partition, ''));
    this.#trackRelease(
      partition,
      held.store
        .close()
        .then(() => (keepFolder ? undefined : rm(this.#folder(partition), { recursive: true, force: true }))),
    );
  }

  /** Closing or removing a partition's folder: a restore of the partition waits for it. */
  #trackRelease(partition: number, work: Promise<unknown>): void {
    const released = work
      .then(() => undefined)
      .catch((error: unknown) =>
        this.#options.logger.warn(
          { err: error, store: this.name, partition },
          'state folder of a released partition not closed or removed',
        ),
      )
      .finally(() => {
        if (this.#releasing.get(partition) === released) this.#releasing.delete(partition);
      });
    this.#releasing.set(partition, released);
  }

  /** Removes the folders of partitions neither assigned, held, restoring nor being released here. */
  async #removeLeftFolders(): Promise<void> {
    // None yet (a new instance) or not listable: nothing to remove.
    const names = await readdir(path.join(this.#options.dir, this.#options.changelogTopic)).catch(
      () => [] as string[],
    );
    for (const name of names) {
      if (!/^\d+$/.test(name)) continue;
      const partition = Number(name);
      const inUse =
        this.#assigned.has(partition) ||
        this.#partitions.has(partition) ||
        this.#restoring.has(partition) ||
        this.#releasing.has(partition);
      if (!inUse)
        this.#trackRelease(partition, rm(this.#folder(partition), { recursive: true, force: true }));
    }
  }

  async #restore(partition: number): Promise<void> {
    await this.#releasing.get(partition);
    const started = performance.now();
    const topic = this.#options.changelogTopic;
    const store = await openLmdbStore({
      path: this.#folder(partition),
      tables: tableNames,
      format: storeFormat,
      logger: this.#options.logger,
    });
    const held: HeldPartition<V> = {
      store,
      rows: store.table<Buffer>('rows'),
      groups: store.table<1>('groups'),
      pending: new Map(),
      draining: new Map(),
      pendingGroups: new Map(),
      drainingGroups: new Map(),
      drainedRecords: 0,
      next: 0n,
    };
    const reader = new PartitionReader({
      connection: this.#options.connection,
      topic,
      partitions: [partition],
      name: `${this.name}-restore-${partition}`,
    });
    try {
      let from = store.checkpoint(topic).get(partition) ?? 0n;
      let rebuiltBecause = store.rebuiltBecause;
      const end = (await reader.endOffsets()).get(partition) ?? 0n;
      if (from > end) {
        this.#options.logger.warn(
          { store: this.name, partition, checkpoint: from.toString(), end: end.toString() },
          'state store is ahead of its changelog (the topic was recreated): rebuilding it',
        );
        await store.clear();
        from = 0n;
        rebuiltBecause = 'ahead';
      }
      let recordsRead = 0;
      let batch: TableRecord[] = [];
      const flush = () => {
        const records = batch;
        batch = [];
        if (records.length === 0) return;
        const next = records.at(-1)!.offset + 1n;
        // Synchronous: called from inside the reader's record callback.
        store.writeSync(
          () => {
            for (const record of records) this.#applyRecord(held, record);
          },
          { source: topic, offsets: new Map([[partition, next]]) },
        );
      };
      const ends = await reader.readToEnd(
        (record) => {
          recordsRead += 1;
          batch.push(record);
          if (batch.length >= (this.#options.restoreBatch ?? 2_000)) flush();
        },
        new Map([[partition, from]]),
      );
      flush();
      held.next = ends.get(partition) ?? end;
      // Markers past the last record (none on a changelog today) still move the checkpoint on.
      store.writeSync(() => undefined, { source: topic, offsets: new Map([[partition, held.next]]) });
      const restore = { fromOffset: from, recordsRead, rebuiltBecause, ms: performance.now() - started };
      this.restores.set(partition, restore);
      this.#options.logger.info(
        { store: this.name, partition, ...restore, fromOffset: from.toString(), ms: Math.round(restore.ms) },
        rebuiltBecause === null
          ? 'state partition resumed from its checkpoint'
          : 'state partition rebuilt from its changelog',
      );
    } catch (error) {
      await store.close().catch(() => undefined);
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
    if (!this.#assigned.has(partition)) {
      this.#release(partition, held, { keepFolder: false });
      return;
    }
    this.#partitions.set(partition, held);
  }

  /** A changelog record read on restore, applied to the disk (inside a store transaction). */
  #applyRecord(held: HeldPartition<V>, record: TableRecord): void {
    if (record.value === null) {
      this.#applyToDisk(held, record.key, { value: null, group: this.#storedGroup(held, record.key) });
      return;
    }
    const decoded = this.#undecodable.decode(this.#options.codec, record);
    if (decoded === undefined) return;
    const previousGroup = this.#storedGroup(held, record.key);
    const group = this.#options.groupOf ? this.#options.groupOf(record.key, decoded.value!) : null;
    if (previousGroup !== null && previousGroup !== group)
      held.groups.remove(memberKey(previousGroup, record.key));
    held.rows.put(record.key, record.value);
    if (group !== null) held.groups.put(memberKey(group, record.key), 1);
  }

  /** A write of this instance, applied to the disk (inside a store transaction). */
  #applyToDisk(held: HeldPartition<V>, key: string, write: PendingWrite<V>): void {
    if (write.value === null) {
      held.rows.remove(key);
      if (write.group !== null) held.groups.remove(memberKey(write.group, key));
      return;
    }
    held.rows.put(key, write.bytes ?? this.#options.codec.encode(write.value));
    if (write.group !== null) held.groups.put(memberKey(write.group, key), 1);
  }

  /** The group of the value the disk holds for `key` (null when none, or without groups). */
  #storedGroup(held: HeldPartition<V>, key: string): string | null {
    if (!this.#options.groupOf) return null;
    const bytes = held.rows.get(key);
    if (bytes === undefined) return null;
    const value = this.#decodeStored(key, bytes);
    return value === undefined ? null : this.#options.groupOf(key, value);
  }

  #stored(partition: number, held: HeldPartition<V>, key: string): V | undefined {
    const cached = this.#cache.get(cacheKey(partition, key));
    if (cached !== undefined) return cached;
    const bytes = held.rows.get(key);
    if (bytes === undefined) return undefined;
    const value = this.#decodeStored(key, bytes);
    if (value !== undefined) this.#cache.set(cacheKey(partition, key), value);
    return value;
  }

  /** Rows hold bytes the codec wrote: one that no longer decodes is treated as absent. */
  #decodeStored(key: string, bytes: Buffer): V | undefined {
    try {
      return this.#options.codec.decode(Buffer.from(bytes));
    } catch (error) {
      this.#options.logger.warn(
        { err: error, store: this.name, key },
        'state row not decodable: treated as absent',
      );
      return undefined;
    }
  }

  #ready(partition: number): HeldPartition<V> {
    const held = this.#partitions.get(partition);
    if (!held) {
      throw new TriageError(
        'TRIAGE_INTERNAL',
        `store ${this.name}: partition ${partition} used before it was restored`,
      );
    }
    return held;
  }
}

/** Keys of a group written since the last acknowledgement: true when they joined it, false when they left. */
function writtenInGroup<V>(held: HeldPartition<V>, group: string): Map<string, boolean> {
  const draining = held.drainingGroups.get(group);
  const pending = held.pendingGroups.get(group);
  if (!pending) return draining ?? new Map();
  if (!draining) return pending;
  return new Map([...draining, ...pending]);
}

function joinGroup(groups: GroupWrites, group: string, key: string, joined: boolean): void {
  let keys = groups.get(group);
  if (!keys) {
    keys = new Map();
    groups.set(group, keys);
  }
  keys.set(key, joined);
}

function memberKey(group: string, key: string): string {
  return `${group}${groupSeparator}${key}`;
}

function cacheKey(partition: number, key: string): string {
  return `${partition}${groupSeparator}${key}`;
}

/**
 * A stage's keyed store: on disk under `dir` (the default of every stage), or in memory when
 * `dir` is null (the benchmarks' baseline, and tests that want no folder).
 */
export function createKeyedStore<V>(
  options: KeyedStateStoreOptions<V> & { dir: string | null; cacheEntries?: number },
): KeyedStore<V> {
  const { dir, cacheEntries, ...common } = options;
  if (dir === null) return new KeyedStateStore<V>(common);
  return new DiskKeyedStateStore<V>({
    ...common,
    dir,
    ...(cacheEntries === undefined ? {} : { cacheEntries }),
  });
}
