import type { ContentStore } from '@triage/content-store';
import { TriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import { type KafkaConnection, PartitionReader } from '@triage/messaging';
import type { UnpublishedMedia } from './unpublished-media.ts';

/** Which of `candidates` any published record names. Rejects when it cannot tell (Kafka down). */
export type ReferenceLookup = (candidates: ReadonlySet<string>) => Promise<Set<string>>;

export interface MediaReclaimOptions {
  store: ContentStore;
  journal: UnpublishedMedia;
  references: ReferenceLookup;
  /**
   * A candidate is taken only when neither its journal entry nor its file's last commit is
   * younger than this: longer than any commit-to-publish interval, so no publish of it is pending.
   */
  graceMs: number;
  logger: Logger;
  clock?: () => number;
}

export interface ReclaimResult {
  /** Files deleted: stored, committed longer ago than the grace, named by no published bundle. */
  reclaimed: number;
  /** Candidates put back: a published bundle names them, or a commit used them within the grace. */
  kept: number;
}

const hexRun = /[0-9a-f]{64}/g;

/**
 * The candidates a record's bytes name. Read as bytes, not through the schema: Avro keeps a
 * string's UTF-8 as it is, so a record of any schema version (or one no reader can decode) still
 * counts as a reference. A longer hex run may match by accident: that only keeps a file.
 */
export function namedIn(value: Buffer, candidates: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const [match] of value.toString('latin1').matchAll(hexRun))
    if (candidates.has(match)) found.push(match);
  return found;
}

/** Every record of the bundles topic up to its end now, searched for the candidates. */
export function bundlesTopicReferences(options: {
  connection: KafkaConnection;
  topic: string;
  timeoutMs: number;
}): ReferenceLookup {
  return async (candidates) => {
    const reader = new PartitionReader({
      connection: options.connection,
      topic: options.topic,
      name: 'intake-reclaim',
    });
    const referenced = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TriageError(
              'TRIAGE_INTERNAL',
              `the bundles topic was not read within ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
    });
    try {
      await Promise.race([
        reader.readToEnd((record) => {
          if (record.value !== null)
            for (const sha256 of namedIn(record.value, candidates)) referenced.add(sha256);
        }),
        timedOut,
      ]);
      return referenced;
    } finally {
      clearTimeout(timer);
      await reader.close();
    }
  };
}

/**
 * Reclaims media committed for bundles that were never published. The candidates of the due
 * journal entries are looked up in the bundles topic (read to its end); a file a record names is
 * kept and never moved. Each other one is withdrawn from its address (a rename: a commit after it
 * links a fresh copy, and a commit before it has touched the file), and deleted only if no commit
 * used it within the grace, else put back. The grace covers the lookup and any commit-to-publish
 * interval, so a bundle published after the lookup began was committed within the grace. If the
 * topic cannot be read nothing is touched and the entries wait for the next sweep.
 */
export class MediaReclaim {
  readonly #options: MediaReclaimOptions;
  readonly #clock: () => number;

  constructor(options: MediaReclaimOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  async sweep(): Promise<ReclaimResult> {
    const { store, journal, graceMs } = this.#options;
    // Files a sweep stopped half-way left withdrawn go back before anything else.
    await store.restoreWithdrawn();
    const entries = await journal.due(this.#clock() - graceMs);
    const result: ReclaimResult = { reclaimed: 0, kept: 0 };
    if (entries.length === 0) return result;
    const candidates = new Set(entries.flatMap((entry) => entry.sha256s));
    let referenced: Set<string>;
    try {
      referenced = await this.#options.references(candidates);
    } catch (error) {
      this.#options.logger.warn(
        { err: error, candidates: candidates.size },
        'reclaim sweep could not read the bundles topic: nothing removed',
      );
      return result;
    }
    const recentlyCommitted = new Set<string>();
    for (const sha256 of candidates) {
      if (referenced.has(sha256)) {
        if (await store.has(sha256)) result.kept += 1;
        continue;
      }
      const file = await store.withdraw(sha256);
      if (file === null) continue;
      if (file.committedAtMs > this.#clock() - graceMs) {
        // A commit used it within the grace: its bundle may still be on its way to Kafka.
        await store.restore(file);
        recentlyCommitted.add(sha256);
        result.kept += 1;
      } else {
        await store.remove(file);
        result.reclaimed += 1;
      }
    }
    // An entry with a file committed again recently is looked at again after the grace.
    for (const entry of entries) {
      if (!entry.sha256s.some((sha256) => recentlyCommitted.has(sha256))) await journal.settle(entry);
    }
    return result;
  }
}
