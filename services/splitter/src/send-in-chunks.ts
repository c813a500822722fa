import { chunkRecords, type OutboundRecord, type RecordProducer, type SendLimits } from '@triage/messaging';

/**
 * Produces `records` chunk after chunk, each acknowledged (acks=all) before the next is sent, so
 * whatever is sent after this resolves follows every one of them. Chunks are made lazily, so
 * records can be encoded as they are needed rather than all at once. Stops between chunks once
 * `signal` aborts (the records are re-produced when the input is re-delivered).
 */
export async function sendInChunks(
  producer: RecordProducer,
  records: Iterable<OutboundRecord>,
  limits: SendLimits,
  signal?: AbortSignal,
): Promise<number> {
  let sent = 0;
  for (const chunk of chunkRecords(records, limits)) {
    signal?.throwIfAborted();
    await producer.send(chunk);
    sent += chunk.length;
  }
  return sent;
}
