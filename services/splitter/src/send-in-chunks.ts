import type { OutboundRecord, RecordProducer } from '@triage/messaging';

export interface ChunkLimits {
  /** Most records per produce call. */
  maxRecords: number;
  /**
   * Most bytes (keys, values, headers, a per-record allowance) per produce call. The client writes
   * one record batch per partition, and a report's records share a partition, so this must stay
   * under the topics' `max.message.bytes` (1 MiB by default) or a viral report is refused whole.
   */
  maxBytes: number;
}

export const defaultChunkLimits: ChunkLimits = { maxRecords: 500, maxBytes: 512 * 1024 };

/** Record framing in a batch (lengths, offsets, timestamps): an upper estimate. */
const recordOverheadBytes = 64;

/**
 * Groups records, in order, into chunks within the limits; a single record above `maxBytes` is
 * a chunk of its own (the broker decides whether it fits). Lazy, so records can be encoded as
 * they are needed rather than all at once.
 */
export function* chunked(
  records: Iterable<OutboundRecord>,
  limits: ChunkLimits,
): Generator<OutboundRecord[]> {
  let chunk: OutboundRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = recordBytes(record);
    if (chunk.length > 0 && (chunk.length >= limits.maxRecords || bytes + size > limits.maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(record);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Produces `records` chunk after chunk, each acknowledged (acks=all) before the next is sent, so
 * whatever is sent after this resolves follows every one of them. Stops between chunks once
 * `signal` aborts (the records are re-produced when the input is re-delivered).
 */
export async function sendInChunks(
  producer: RecordProducer,
  records: Iterable<OutboundRecord>,
  limits: ChunkLimits,
  signal?: AbortSignal,
): Promise<number> {
  let sent = 0;
  for (const chunk of chunked(records, limits)) {
    signal?.throwIfAborted();
    await producer.send(chunk);
    sent += chunk.length;
  }
  return sent;
}

function recordBytes(record: OutboundRecord): number {
  let bytes = recordOverheadBytes + Buffer.byteLength(record.key) + (record.value?.length ?? 0);
  for (const [key, value] of Object.entries(record.headers ?? {})) {
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  return bytes;
}
