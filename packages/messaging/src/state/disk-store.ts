/**
 * A state store on local disk that caches what a compacted topic holds, so an instance keeps
 * millions of rows without holding them on its heap and resumes from where it stopped instead
 * of re-reading the topic. The rows and the topic offsets they reflect are written in one
 * transaction: after a crash the store is either before or after a batch, never half of it.
 */

/** Per partition, the next offset to read: everything before it is in the store. */
export type SourceOffsets = ReadonlyMap<number, bigint>;

/** Where a batch of rows came from: the offsets written with it. */
export interface StoreCheckpoint {
  /** The topic (deployed name) the rows are rebuilt from. */
  source: string;
  offsets: SourceOffsets;
}

/**
 * One named table of a store: string keys, structured values (objects, arrays, numbers, Buffers).
 * `keys` and `entries` read through an open cursor and read snapshot: iterate them with for-of
 * (a `break` or `return` closes them) or to the end, never with a bare `next()` left behind.
 */
export interface DiskTable<V> {
  get(key: string): V | undefined;
  /** Keys in order, only those starting with `prefix` when given. */
  keys(prefix?: string): Iterable<string>;
  /** Keys and values in key order, only those whose key starts with `prefix` when given. */
  entries(prefix?: string): Iterable<[string, V]>;
  /** How many keys the table holds (from the table's statistics: no scan). */
  count(): number;
  /** Only inside `DiskStore.write` / `writeSync`. */
  put(key: string, value: V): void;
  /** Only inside `DiskStore.write` / `writeSync`. */
  remove(key: string): void;
}

export interface DiskStore {
  /** The store's folder. */
  readonly path: string;
  /** Why the store was started empty at open (`missing`, `unreadable`, `format`), or null when it was reused. */
  readonly rebuiltBecause: string | null;
  table<V>(name: string): DiskTable<V>;
  /** The offsets of `source` the rows reflect, as last written with them; empty when none. */
  checkpoint(source: string): SourceOffsets;
  /**
   * Runs `change` (puts and removes) in one write transaction, with the checkpoint when given;
   * resolves once committed to disk. Reads inside `change` see its earlier writes.
   */
  write(change: () => void, checkpoint?: StoreCheckpoint): Promise<void>;
  /** As `write`, committed before it returns: for a write the next read must see. */
  writeSync(change: () => void, checkpoint?: StoreCheckpoint): void;
  /** Removes every row and checkpoint (a rebuild from the beginning of the topic). */
  clear(): Promise<void>;
  /** Bytes the store takes on disk (allocated blocks, not the mapped size). */
  diskBytes(): Promise<number>;
  close(): Promise<void>;
}
