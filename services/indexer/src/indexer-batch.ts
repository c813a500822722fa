import { TriageError } from '@triage/errors';
import type { FailedRecord, FlushResult, InboundRecord } from '@triage/messaging';
import type { Rejections, SearchWriter } from './search-writer.ts';

/** What one batch of a group stages: documents built from its records, written in one go at flush. */
export interface IndexerBatch {
  /** Decodes and stages a record (throws for one that does not decode: the runner dead-letters it). */
  add(record: InboundRecord): void;
  /** Writes the staged documents; returns the records behind documents Elasticsearch refused. */
  write(writer: SearchWriter): Promise<FailedRecord[]>;
}

export interface IndexerStage {
  handle(record: InboundRecord): [];
  flush(): Promise<FlushResult>;
}

/**
 * The runner's handle and flush for one group: handle stages, flush writes one bulk (or a few
 * read-merge-write rounds) per batch. A flush that throws (Elasticsearch down) leaves the batch
 * uncommitted: the runner reopens from the committed offsets and hands it over again.
 */
export function createIndexerStage(options: {
  writer: SearchWriter;
  newBatch: () => IndexerBatch;
  /** Records of erased reports are dropped unindexed, tombstones included (ADR 0020). */
  erased?: (record: InboundRecord) => boolean;
}): IndexerStage {
  let batch = options.newBatch();
  return {
    handle(record) {
      if (options.erased?.(record)) return [];
      batch.add(record);
      return [];
    },
    async flush() {
      // Taken before writing: a failed flush must not leave its documents staged for the re-delivery.
      const current = batch;
      batch = options.newBatch();
      return { outputs: [], failed: await current.write(options.writer) };
    },
  };
}

/** Which records made which document (`index/id`), to dead-letter the records of a refused one. */
export class Contributions {
  readonly #records = new Map<string, InboundRecord[]>();

  add(key: string, record: InboundRecord): void {
    const list = this.#records.get(key);
    if (list === undefined) this.#records.set(key, [record]);
    else if (!list.includes(record)) list.push(record);
  }

  /** Every record behind a refused document, once, with Elasticsearch's reason. */
  failed(...rejections: Rejections[]): FailedRecord[] {
    const failed = new Map<InboundRecord, FailedRecord>();
    for (const rejected of rejections) {
      for (const [key, reason] of rejected) {
        for (const record of this.#records.get(key) ?? []) {
          if (failed.has(record)) continue;
          failed.set(record, {
            record,
            error: new TriageError('TRIAGE_ELASTICSEARCH_REJECTED', `${key}: ${reason}`),
          });
        }
      }
    }
    return [...failed.values()];
  }
}

/** The value bytes of a record, or a dead letter for a tombstone (no index here takes deletions). */
export function recordValue(record: InboundRecord): Buffer {
  if (record.value === null) {
    throw new TriageError(
      'TRIAGE_RECORD_INVALID',
      `${record.topic}: a record without a value is not indexed`,
    );
  }
  return record.value;
}
