import { applyCaseChange, hosterIndices, type NoticeCase, type Reappearance } from '@triage/hoster-figures';
import { type IndexSpec, indexNames } from '@triage/search';
import { run, type SearchDeps } from '../search/case-store.ts';

/** The notice cases and reappearances as the hoster monitor last wrote them, by document id. */
export interface HosterSnapshot {
  cases: ReadonlyMap<string, NoticeCase>;
  reappearances: ReadonlyMap<string, Reappearance>;
}

export interface HosterStoreOptions {
  search: SearchDeps;
  /** A snapshot at most this old answers without asking Elasticsearch; default 1000 ms (0: read on every request). */
  refreshMs?: number;
  /** Documents per page of a read; default 5000. */
  pageSize?: number;
  clock?: () => number;
}

interface Source<T> {
  spec: IndexSpec;
  documents: Map<string, T>;
  /** The stored document as held: a case written by partial updates lacks the fields no event set yet. */
  decode: (source: Partial<T>) => T;
  /** Every write up to this sequence number has been read. */
  checkpoint: number;
}

/**
 * The hoster monitor's documents held in memory for the figures, which need every case (the
 * ranking, a country's share, recidivism across periods). The first read loads them all; later
 * reads take only documents changed since: the indices have one shard, so a write's `_seq_no`
 * orders it, and a read first takes the shard's local checkpoint and refreshes, so every write
 * up to that checkpoint is visible and none is skipped (ADR 0017).
 */
export class HosterStore {
  readonly #search: SearchDeps;
  readonly #refreshMs: number;
  readonly #pageSize: number;
  readonly #clock: () => number;
  readonly #cases: Source<NoticeCase> = {
    spec: hosterIndices.cases,
    documents: new Map(),
    decode: (source) => applyCaseChange(undefined, source),
    checkpoint: -1,
  };
  readonly #reappearances: Source<Reappearance> = {
    spec: hosterIndices.reappearances,
    documents: new Map(),
    decode: (source) => source as Reappearance,
    checkpoint: -1,
  };
  #readAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | null = null;

  constructor(options: HosterStoreOptions) {
    this.#search = options.search;
    this.#refreshMs = options.refreshMs ?? 1_000;
    this.#pageSize = options.pageSize ?? 5_000;
    this.#clock = options.clock ?? Date.now;
  }

  /** The documents, read again first when the last read is older than `refreshMs`. */
  async snapshot(): Promise<HosterSnapshot> {
    if (this.#clock() - this.#readAt >= this.#refreshMs) await this.#readOnce();
    return { cases: this.#cases.documents, reappearances: this.#reappearances.documents };
  }

  /** One read at a time: requests arriving meanwhile wait for it rather than starting their own. */
  async #readOnce(): Promise<void> {
    if (this.#reading === null) {
      const startedAt = this.#clock();
      this.#reading = Promise.all([this.#catchUp(this.#cases), this.#catchUp(this.#reappearances)])
        .then(() => {
          this.#readAt = startedAt;
        })
        .finally(() => {
          this.#reading = null;
        });
    }
    await this.#reading;
  }

  async #catchUp<T>(source: Source<T>): Promise<void> {
    const { client } = this.#search;
    const index = indexNames(this.#search.prefix, source.spec).alias;
    const checkpoint = await run(`read ${index}`, async () => {
      const exists = await client.indices.exists({ index });
      if (!exists) return null;
      const stats = await client.indices.stats({ index, level: 'shards', metric: 'docs' });
      const shards = Object.values(stats.indices ?? {}).flatMap((entry) =>
        Object.values(entry.shards ?? {}).flat(),
      );
      const primary = shards.find((shard) => (shard as { routing?: { primary?: boolean } }).routing?.primary);
      await client.indices.refresh({ index });
      return (
        (primary as { seq_no?: { local_checkpoint?: number } } | undefined)?.seq_no?.local_checkpoint ?? -1
      );
    });
    // Not created yet: the hoster monitor has not started; nothing to read.
    if (checkpoint === null) return;
    let after = source.checkpoint;
    for (;;) {
      const page = await run(`read ${index}`, () =>
        client.search<Partial<T>>({
          index,
          size: this.#pageSize,
          query: { range: { _seq_no: { gt: after } } },
          sort: [{ _seq_no: 'asc' }],
          seq_no_primary_term: true,
          track_total_hits: false,
        }),
      );
      for (const hit of page.hits.hits) {
        if (hit._source !== undefined) source.documents.set(hit._id as string, source.decode(hit._source));
        after = Math.max(after, hit._seq_no ?? after);
      }
      if (page.hits.hits.length < this.#pageSize) break;
    }
    source.checkpoint = Math.max(source.checkpoint, checkpoint);
  }
}
