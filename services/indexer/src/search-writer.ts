import { setTimeout as sleep } from 'node:timers/promises';
import { TriageError } from '@triage/errors';
import { type BulkItemOutcome, classifyBulkItem, type SearchClient, searchError } from '@triage/search';

/** One document write of a bulk. */
export interface WriteOp {
  index: string;
  id: string;
  /** `create` for documents that never change; `index` replaces; `update` merges `document` in. */
  action: 'create' | 'index' | 'update';
  document: object;
  /** Optimistic concurrency: written only if the document is still at this sequence number. */
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
}

/** A document as read, with what a guarded write of it needs. */
export interface StoredDocument<T> {
  source: T;
  seqNo: number;
  primaryTerm: number;
}

export interface SearchWriterOptions {
  client: SearchClient;
  /** Rounds at documents Elasticsearch could not take now (429, 5xx) or that changed under us. Default 5. */
  attempts?: number;
  /** First pause between rounds, doubled each round. Default 200 ms. */
  backoffMs?: number;
  /** Aborted when the stage stops: pauses end at once. */
  signal?: AbortSignal;
}

/** The outcome of a write round: documents refused for good, by `index/id`, with the reason. */
export type Rejections = Map<string, string>;

export const docKey = (index: string, id: string) => `${index}/${id}`;

/**
 * The indexer's Elasticsearch adapter: bulk writes whose item failures are classified (retried,
 * re-merged or refused), and guarded read-merge-write rounds. Any failure of a whole request
 * (unreachable, 5xx) is a retryable `TRIAGE_ELASTICSEARCH_UNAVAILABLE`: the runner re-delivers
 * the batch once Elasticsearch is back, and the deterministic ids make that harmless.
 */
export class SearchWriter {
  readonly #client: SearchClient;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #signal: AbortSignal | undefined;
  /** Documents written, and rounds repeated for retryable items or conflicts. */
  readonly counters = { written: 0, retriedItems: 0, conflicts: 0, rejected: 0 };

  constructor(options: SearchWriterOptions) {
    this.#client = options.client;
    this.#attempts = options.attempts ?? 5;
    this.#backoffMs = options.backoffMs ?? 200;
    this.#signal = options.signal;
  }

  /** Writes documents that need no read first; retries what Elasticsearch could not take now. */
  async write(ops: readonly WriteOp[], immutable: (op: WriteOp) => boolean): Promise<Rejections> {
    const rejections: Rejections = new Map();
    let pending = ops;
    for (let round = 1; pending.length > 0; round++) {
      const outcomes = await this.#bulk(pending, immutable);
      const again: WriteOp[] = [];
      pending.forEach((op, index) => {
        const outcome = outcomes[index] ?? { kind: 'retry', reason: 'missing from the bulk response' };
        if (outcome.kind === 'reject') rejections.set(docKey(op.index, op.id), outcome.reason);
        else if (outcome.kind !== 'ok') again.push(op);
      });
      pending = again;
      if (pending.length > 0) await this.#pauseOrGiveUp(round, pending.length);
    }
    return rejections;
  }

  /**
   * Read, merge, write only if unchanged since the read: for each id, `plan` gets the stored
   * document (or null) and returns the write to make (or null for none). A document someone else
   * wrote meanwhile is read and merged again.
   */
  async merge<T>(options: {
    index: string;
    ids: readonly string[];
    sourceIncludes?: readonly string[];
    plan(id: string, current: T | null): Omit<WriteOp, 'index' | 'id' | 'ifSeqNo' | 'ifPrimaryTerm'> | null;
  }): Promise<Rejections> {
    const rejections: Rejections = new Map();
    let pending = [...new Set(options.ids)];
    for (let round = 1; pending.length > 0; round++) {
      const stored = await this.#read<T>(options.index, pending, options.sourceIncludes);
      const ops: WriteOp[] = [];
      for (const id of pending) {
        const current = stored.get(id);
        const write = options.plan(id, current?.source ?? null);
        if (write === null) continue;
        // A document not there at the read is created: a writer that got there first makes it a conflict.
        ops.push(
          current === undefined
            ? { ...write, action: 'create', index: options.index, id }
            : {
                ...write,
                index: options.index,
                id,
                ifSeqNo: current.seqNo,
                ifPrimaryTerm: current.primaryTerm,
              },
        );
      }
      const outcomes = ops.length === 0 ? [] : await this.#bulk(ops, () => false);
      const again: string[] = [];
      ops.forEach((op, index) => {
        const outcome = outcomes[index] ?? { kind: 'retry', reason: 'missing from the bulk response' };
        if (outcome.kind === 'reject') rejections.set(docKey(op.index, op.id), outcome.reason);
        else if (outcome.kind === 'conflict') {
          this.counters.conflicts += 1;
          again.push(op.id);
        } else if (outcome.kind === 'retry') again.push(op.id);
      });
      pending = again;
      if (pending.length > 0) await this.#pauseOrGiveUp(round, pending.length);
    }
    return rejections;
  }

  async #read<T>(
    index: string,
    ids: readonly string[],
    sourceIncludes: readonly string[] | undefined,
  ): Promise<Map<string, StoredDocument<T>>> {
    try {
      const response = await this.#client.mget<T>({
        index,
        ids: [...ids],
        ...(sourceIncludes ? { _source_includes: [...sourceIncludes] } : {}),
      });
      const stored = new Map<string, StoredDocument<T>>();
      for (const doc of response.docs) {
        if ('error' in doc) throw searchError(new Error(doc.error.type), `read ${index}`);
        if (
          doc.found &&
          doc._source !== undefined &&
          doc._seq_no !== undefined &&
          doc._primary_term !== undefined
        ) {
          stored.set(doc._id, { source: doc._source, seqNo: doc._seq_no, primaryTerm: doc._primary_term });
        }
      }
      return stored;
    } catch (error) {
      throw searchError(error, `read ${index}`);
    }
  }

  async #bulk(ops: readonly WriteOp[], immutable: (op: WriteOp) => boolean): Promise<BulkItemOutcome[]> {
    const operations: object[] = [];
    for (const op of ops) {
      const meta = {
        _index: op.index,
        _id: op.id,
        ...(op.ifSeqNo === undefined ? {} : { if_seq_no: op.ifSeqNo, if_primary_term: op.ifPrimaryTerm }),
      };
      operations.push({ [op.action]: meta }, op.action === 'update' ? { doc: op.document } : op.document);
    }
    let response: Awaited<ReturnType<SearchClient['bulk']>>;
    try {
      response = await this.#client.bulk({ operations });
    } catch (error) {
      const failure = searchError(error, 'bulk write');
      if (failure.retryable) throw failure;
      // The whole request refused (one malformed operation fails them all): each on its own, so
      // only the culprit is refused and the rest is written.
      if (ops.length === 1) {
        this.counters.rejected += 1;
        return [{ kind: 'reject', reason: failure.message }];
      }
      const outcomes: BulkItemOutcome[] = [];
      for (const op of ops) outcomes.push(...(await this.#bulk([op], immutable)));
      return outcomes;
    }
    return response.items.map((item, index) => {
      const op = ops[index]!;
      const result = item[op.action] ?? Object.values(item)[0]!;
      const outcome = classifyBulkItem(result, { immutable: immutable(op) });
      if (outcome.kind === 'ok') this.counters.written += 1;
      else if (outcome.kind === 'retry') this.counters.retriedItems += 1;
      else if (outcome.kind === 'reject') this.counters.rejected += 1;
      return outcome;
    });
  }

  async #pauseOrGiveUp(round: number, left: number): Promise<void> {
    if (round >= this.#attempts) {
      throw new TriageError(
        'TRIAGE_ELASTICSEARCH_UNAVAILABLE',
        `${left} documents still not written after ${round} rounds`,
      );
    }
    await sleep(
      this.#backoffMs * 2 ** (round - 1),
      undefined,
      this.#signal ? { signal: this.#signal } : {},
    ).catch(() => {
      throw new TriageError(
        'TRIAGE_ELASTICSEARCH_UNAVAILABLE',
        'stopping while documents wait to be written',
      );
    });
  }
}
