import type { Logger } from '@triage/logging';
import {
  deployedTopic,
  type KafkaConnection,
  type OutboundRecord,
  PartitionReader,
  pipelineTopics,
  type TransactionalProducer,
} from '@triage/messaging';
import { type Codec, createCodec } from '@triage/schemas';
import { listProducer } from '../writer/list-producer.ts';
import { confirmedKnownHash, listChanges, wantedEntries } from './confirmed-entries.ts';
import { type FollowedLedger, followedLedger } from './followed-ledger.ts';

/**
 * The header carrying the list version on every record the writer sends, tombstones included
 * (a tombstone has no value to carry it), so a restarted writer finds the highest number handed out.
 */
const versionHeader = 'list-version';

/** The list confirmed categorisations flow into unless told otherwise. */
export const defaultConfirmedList = 'police-confirmed';

export interface ConfirmedListWriterOptions {
  connection: KafkaConnection;
  logger: Logger;
  /** The list written; default `police-confirmed`. */
  list?: string;
  codec?: Codec;
  /** Epoch milliseconds (`importedAt`); default `Date.now`. */
  clock?: () => number;
  /**
   * The writer's folder for its category ledger (on disk: a restart reads the action log's tail);
   * null or absent: in memory, folded from the whole log at each start.
   */
  stateDir?: string | null;
}

/** What the list holds on the topic, and its highest version number (0: never written). */
interface HeldList {
  entries: Map<string, number | null>;
  version: number;
}

/**
 * The confirmed list's one writer: it follows `triage.actions.v1` from the beginning, folds the
 * category actions (`CategoryLedger`, the rules the API enforces) and keeps the list on
 * `hashsets.v1` equal to what the confirmed items want: every hash of a newly confirmed item is
 * written, a withdrawn item's entries are tombstoned. Each change is one transaction stamped with
 * the next version number (`1`, `2`, ...), which only this writer hands out: it registers the
 * list's transactional id (fencing any other writer of the list, an import included) before it
 * reads the list's current entries and highest version, so a fenced writer can never commit a
 * stale number. It is crash-only: any failed write stops it (`failed`), and a restart derives
 * the same list again from the two logs (writing nothing when they agree).
 */
export class ConfirmedListWriter {
  readonly list: string;
  readonly #options: ConfirmedListWriterOptions;
  readonly #codec: Codec;
  readonly #clock: () => number;
  readonly #topic: string;
  #producer: TransactionalProducer | undefined;
  #actions: FollowedLedger | undefined;
  #held: HeldList = { entries: new Map(), version: 0 };
  #caughtUp = false;
  #syncing: Promise<void> = Promise.resolve();
  #failure: unknown;
  #failed: (error: unknown) => void = () => undefined;
  /** Rejects with the write that stopped the writer; never resolves. */
  readonly failed: Promise<never>;

  constructor(options: ConfirmedListWriterOptions) {
    this.#options = options;
    this.list = options.list ?? defaultConfirmedList;
    this.#codec = options.codec ?? createCodec();
    this.#clock = options.clock ?? Date.now;
    this.#topic = deployedTopic(options.connection, pipelineTopics.hashsets.name);
    this.failed = new Promise<never>((_, reject) => {
      this.#failed = reject;
    });
    this.failed.catch(() => undefined);
  }

  /** The list's version last written (or found); 0 before any. */
  get version(): number {
    return this.#held.version;
  }

  /** Fences other writers of the list, reads it, catches up with the actions and writes what differs. */
  async start(): Promise<void> {
    const { connection, logger } = this.#options;
    this.#producer = listProducer(connection, this.list);
    await this.#producer.start();
    this.#held = await this.#readHeld();
    this.#actions = followedLedger({
      name: `confirmed-list-${this.list}`,
      connection,
      logger,
      codec: this.#codec,
      dir: this.#options.stateDir ?? null,
      changed: () => {
        if (this.#caughtUp) this.#schedule();
      },
    });
    await this.#actions.start();
    this.#caughtUp = true;
    this.#schedule();
    await this.#syncing;
  }

  /** Resolves once every change folded so far is on the topic (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#syncing;
    if (this.#failure !== undefined) throw this.#failure;
  }

  async close(): Promise<void> {
    await this.#actions?.close();
    await this.#syncing.catch(() => undefined);
    await this.#producer?.close();
  }

  #schedule(): void {
    this.#syncing = this.#syncing.then(() => (this.#failure === undefined ? this.#sync() : undefined));
  }

  /** Writes what the ledger wants and the topic lacks, as one transaction under the next version. */
  async #sync(): Promise<void> {
    const states = [...this.#actions!.ledger.entries()].map(([, state]) => state);
    const changes = listChanges(this.#held.entries, wantedEntries(this.list, states));
    if (changes.upserts.size === 0 && changes.removals.length === 0) return;
    const version = this.#held.version + 1;
    const stamp = { listVersion: String(version), importedAt: this.#clock() };
    const headers = { [versionHeader]: stamp.listVersion };
    const records: OutboundRecord[] = [
      ...[...changes.upserts].map(([key, entry]) => ({
        topic: this.#topic,
        key,
        value: this.#codec.encode('KnownHash', confirmedKnownHash(this.list, entry, stamp)),
        headers,
      })),
      ...changes.removals.map((key) => ({ topic: this.#topic, key, value: null, headers })),
    ];
    try {
      await this.#producer!.send(records);
    } catch (error) {
      this.#failure = error;
      this.#options.logger.error(
        { err: error, list: this.list, version },
        'confirmed list write failed: the writer stops (restart it; another writer of the list may have fenced it)',
      );
      this.#failed(error);
      return;
    }
    for (const [key, entry] of changes.upserts) this.#held.entries.set(key, entry.category);
    for (const key of changes.removals) this.#held.entries.set(key, null);
    this.#held.version = version;
    this.#options.logger.info(
      { list: this.list, version, written: changes.upserts.size, removed: changes.removals.length },
      'confirmed list updated',
    );
  }

  /**
   * The list's entries (key and category; null: tombstoned) and the highest version a writer
   * stamped on the topic. Compaction may drop old tombstones and with them their header: then an
   * emptied list starts numbering from its highest surviving version (never reusing a live one).
   */
  async #readHeld(): Promise<HeldList> {
    const reader = new PartitionReader({
      connection: this.#options.connection,
      topic: this.#topic,
      name: `confirmed-list-${this.list}`,
    });
    const held: HeldList = { entries: new Map(), version: 0 };
    const prefix = `${this.list}:`;
    try {
      await reader.readToEnd((record) => {
        if (!record.key.startsWith(prefix)) return;
        const version = Number(record.headers?.[versionHeader]);
        if (Number.isSafeInteger(version) && version > held.version) held.version = version;
        held.entries.set(
          record.key,
          record.value === null ? null : this.#codec.decode('KnownHash', record.value).category,
        );
      });
    } finally {
      await reader.close();
    }
    return held;
  }
}
