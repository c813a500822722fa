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
 * Groups records, in order, into chunks within the limits; a single record above `maxBytes` is
 * a chunk of its own (the broker decides whether it fits).
 */
export function* chunkRecords(
  records: Iterable<OutboundRecord>,
  limits: SendLimits,
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

function recordBytes(record: OutboundRecord): number {
  let bytes = recordOverheadBytes + Buffer.byteLength(record.key) + (record.value?.length ?? 0);
  for (const [key, value] of Object.entries(record.headers ?? {})) {
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  return bytes;
}
