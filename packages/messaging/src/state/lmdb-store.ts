import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@triage/logging';
import { type Database, open, type RootDatabase } from 'lmdb';
import type { DiskStore, DiskTable, SourceOffsets, StoreCheckpoint } from './disk-store.ts';

export interface LmdbStoreOptions {
  /** The store's own folder (one per instance and per store): removed and recreated on a rebuild. */
  path: string;
  /** Names of the tables the store holds. */
  tables: readonly string[];
  /**
   * The row layout's version: a store written under another one is emptied at open and rebuilt
   * from its topic (bump it whenever what the rows mean changes).
   */
  format: string;
  logger: Logger;
}

/** LMDB's data file in the store's folder (beside its lock.mdb). */
const dataFile = 'data.mdb';
const formatKey = '_format';
const checkpointTable = '_checkpoints';

type Checkpoint = [partition: number, offset: string][];

/**
 * Opens (or creates) a store in LMDB (the `lmdb` package): a memory-mapped B+tree whose pages
 * the kernel caches, so the heap holds no rows. A folder that cannot be opened, or that was
 * written under another `format`, is removed and the store starts empty (`rebuiltBecause`):
 * it is a cache of its topic, rebuilt by reading the topic from the beginning.
 */
export async function openLmdbStore(options: LmdbStoreOptions): Promise<DiskStore> {
  const file = path.join(options.path, dataFile);
  let rebuiltBecause: string | null = existsSync(file) ? null : 'missing';
  if (rebuiltBecause === null && !(await readable(options))) rebuiltBecause = 'unreadable';
  if (rebuiltBecause === null) {
    try {
      const root = openRoot(options.path, options.tables);
      const stored = root.get(formatKey) as string | undefined;
      if (stored === options.format) return new LmdbStore(options, root, null);
      await root.close();
      rebuiltBecause = 'format';
    } catch (error) {
      options.logger.warn({ err: error, path: options.path }, 'state store unreadable: rebuilding it');
      rebuiltBecause = 'unreadable';
    }
  }
  return new LmdbStore(options, await createRoot(options), rebuiltBecause);
}

/**
 * LMDB trusts its file: opening or walking a damaged one can crash the process (SIGSEGV) instead
 * of throwing. So a child process opens the store first and walks every table's keys (every
 * leaf page); only a store it read to the end is opened here.
 */
async function readable(options: LmdbStoreOptions): Promise<boolean> {
  const probe = `
    const { open } = await import(${JSON.stringify(import.meta.resolve('lmdb'))});
    const root = open({ path: ${JSON.stringify(options.path)}, noSubdir: false, maxDbs: ${options.tables.length + 1} });
    root.get(${JSON.stringify(formatKey)});
    for (const name of ${JSON.stringify([...options.tables, checkpointTable])}) {
      for (const _ of root.openDB({ name }).getKeys()) {}
    }
    await root.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', probe], { stdio: 'ignore' });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code === 0) return true;
  options.logger.warn({ path: options.path, code, signal }, 'state store unreadable: rebuilding it');
  return false;
}

/** A new, empty store in place of whatever the folder held. */
async function createRoot(options: LmdbStoreOptions): Promise<RootDatabase> {
  await rm(options.path, { recursive: true, force: true });
  await mkdir(options.path, { recursive: true, mode: 0o700 });
  const root = openRoot(options.path, options.tables);
  await root.put(formatKey, options.format);
  return root;
}

function openRoot(folder: string, tables: readonly string[]): RootDatabase {
  // The root holds the store's own keys (format); each table is a named sub-database. A folder
  // always: lmdb would take a path with a dot (a topic name) for a file.
  // No fsync per commit: the store is a cache of its topic, and each commit holds its rows with
  // their checkpoint, so a machine crash costs only the last commits (re-read from the topic) or,
  // on a file system that reorders writes, a damaged file, which the open walk finds and rebuilds.
  // Syncing made every receipt an fsync on the event loop: 0.5 ms of each bundle in `bench intake`.
  const root = open({ path: folder, noSubdir: false, maxDbs: tables.length + 1, noSync: true });
  // Reading a key checks the file beyond its header: a damaged file fails here, at open.
  root.get(formatKey);
  return root;
}

/** The key range of a prefix: from the prefix to the prefix with its last character one higher. */
function prefixRange(prefix: string | undefined): { start?: string; end?: string } {
  if (prefix === undefined || prefix === '') return {};
  const last = prefix.charCodeAt(prefix.length - 1);
  return { start: prefix, end: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}

class LmdbStore implements DiskStore {
  readonly path: string;
  readonly rebuiltBecause: string | null;
  readonly #options: LmdbStoreOptions;
  #root: RootDatabase;
  #tables = new Map<string, Database>();
  #checkpoints!: Database<Checkpoint, string>;

  constructor(options: LmdbStoreOptions, root: RootDatabase, rebuiltBecause: string | null) {
    this.path = options.path;
    this.rebuiltBecause = rebuiltBecause;
    this.#options = options;
    this.#root = root;
    this.#openTables();
  }

  table<V>(name: string): DiskTable<V> {
    if (!this.#tables.has(name)) throw new Error(`state store ${this.path} has no table ${name}`);
    // Looked up on each call: `clear()` replaces the databases.
    const db = () => this.#tables.get(name)!;
    return {
      get: (key) => db().get(key) as V | undefined,
      keys: (prefix) => db().getKeys(prefixRange(prefix)) as Iterable<string>,
      entries: (prefix) =>
        db()
          .getRange(prefixRange(prefix))
          .map(({ key, value }): [string, V] => [key as string, value as V]),
      // Typed `{}` by lmdb: LMDB's own statistics of the database.
      count: () => (db().getStats() as { entryCount: number }).entryCount,
      put: (key, value) => void db().put(key, value),
      remove: (key) => void db().remove(key),
    };
  }

  checkpoint(source: string): SourceOffsets {
    const stored = this.#checkpoints.get(source) ?? [];
    return new Map(stored.map(([partition, offset]) => [partition, BigInt(offset)]));
  }

  // Synchronous: lmdb's asynchronous transaction keeps the writes made before a callback throws,
  // its synchronous one aborts them all. A batch is one commit (one fsync), so this stays short.
  async write(change: () => void, checkpoint?: StoreCheckpoint): Promise<void> {
    this.writeSync(change, checkpoint);
  }

  writeSync(change: () => void, checkpoint?: StoreCheckpoint): void {
    this.#root.transactionSync(() => {
      change();
      if (checkpoint) this.#putCheckpoint(checkpoint);
    });
  }

  /** A new file rather than deletes: nothing of the old rows can outlive a crash half-way. */
  async clear(): Promise<void> {
    await this.#root.close();
    this.#root = await createRoot(this.#options);
    this.#openTables();
  }

  async diskBytes(): Promise<number> {
    const info = await stat(path.join(this.path, dataFile));
    return info.blocks * 512;
  }

  async close(): Promise<void> {
    await this.#root.close();
  }

  #openTables(): void {
    this.#tables = new Map(this.#options.tables.map((name) => [name, this.#root.openDB({ name })]));
    this.#checkpoints = this.#root.openDB({ name: checkpointTable });
  }

  #putCheckpoint({ source, offsets }: StoreCheckpoint): void {
    const merged = new Map(this.checkpoint(source));
    for (const [partition, offset] of offsets) merged.set(partition, offset);
    void this.#checkpoints.put(
      source,
      [...merged].map(([partition, offset]): [number, string] => [partition, offset.toString()]),
    );
  }
}
