import type { OutboundRecord } from './record-producer.ts';

export interface SendLimits {
  /** Most records per produce call. */
  maxRecords: number;
  /**
   * Most bytes (keys, values, headers, a per-record allowance) per produce call. The client writes
   * one record batch per partition, so this must stay under the topics' `max.message.bytes`.
   */
  maxBytes: number;
}

export const defaultSendLimits: SendLimits = { maxRecords: 500, maxBytes: 512 * 1024 };

/** Record framing in a batch (lengths, offsets, timestamps): an upper estimate. */
const recordOverheadBytes = 64;

/**
 * Cuts records, in the order they are added, into chunks within the limits; a single record above
 * `maxBytes` is a chunk of its own (the broker decides whether it fits). Push-based, so records
 * arriving from several places (the runner's output sink) are cut the same way as an iterable.
 */
export class RecordChunker<T = OutboundRecord> {
  readonly #limits: SendLimits;
  readonly #recordOf: (entry: T) => OutboundRecord;
  #chunk: T[] = [];
  #bytes = 0;

  /** `recordOf` finds the record in an entry that carries more (the sink's owner of each record). */
  constructor(
    limits: SendLimits,
    recordOf: (entry: T) => OutboundRecord = (entry) => entry as OutboundRecord,
  ) {
    this.#limits = limits;
    this.#recordOf = recordOf;
  }

  /** Adds a record; returns the full chunk it closed, if it did not fit the one being filled. */
  add(record: T): T[] | undefined {
    const size = recordBytes(this.#recordOf(record));
    let full: T[] | undefined;
    const { maxRecords, maxBytes } = this.#limits;
    if (this.#chunk.length > 0 && (this.#chunk.length >= maxRecords || this.#bytes + size > maxBytes)) {
      full = this.take();
    }
    this.#chunk.push(record);
    this.#bytes += size;
    return full;
  }

  /** The chunk being filled (possibly empty), which starts afresh. */
  take(): T[] {
    const chunk = this.#chunk;
    this.#chunk = [];
    this.#bytes = 0;
    return chunk;
  }

  /** Keeps only the records of the chunk being filled that pass `keep`. */
  retain(keep: (record: T) => boolean): void {
    const kept = this.#chunk.filter(keep);
    this.#chunk = [];
    this.#bytes = 0;
    for (const record of kept) this.add(record);
  }
}

/** Groups records, in order, into chunks within the limits, lazily: a chunk is cut as it fills. */
export function* chunkRecords(
  records: Iterable<OutboundRecord>,
  limits: SendLimits,
): Generator<OutboundRecord[]> {
  const chunker = new RecordChunker(limits);
  for (const record of records) {
    const full = chunker.add(record);
    if (full) yield full;
  }
  const rest = chunker.take();
  if (rest.length > 0) yield rest;
}

function recordBytes(record: OutboundRecord): number {
  let bytes = recordOverheadBytes + Buffer.byteLength(record.key) + (record.value?.length ?? 0);
  for (const [key, value] of Object.entries(record.headers ?? {})) {
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  return bytes;
}
