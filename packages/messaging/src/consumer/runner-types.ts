import type { OutboundRecord } from '../producer/record-producer.ts';
import type { InboundRecord } from './inbound-record.ts';

export interface HandlerContext {
  attempt: number;
  /** Aborted when the runner stops; long handlers should pass it on. */
  signal: AbortSignal;
}

/**
 * Yielded between outputs: what follows is sent only once everything yielded before it is
 * acknowledged (acks=all). The splitter yields it before a bundle's split status, so `split`
 * is never visible while one of the bundle's reports or items is still unwritten.
 */
export const outputBarrier: unique symbol = Symbol('triage.output-barrier');

export type Output = OutboundRecord | typeof outputBarrier;

/**
 * What a handler, a flush or an exclusive task gives the runner to write: an array, or an
 * iterable or async iterable the runner reads lazily, so thousands of records are encoded as
 * they are sent rather than all held at once. Records go out in this order, chunk after chunk
 * (`sendLimits`), each chunk acknowledged before the next is sent.
 */
export type Outputs = Iterable<Output> | AsyncIterable<Output>;

/**
 * Turns one input record into the records to write. Throw (or fail while yielding) to fail: the
 * failure policy decides between retry and dead letter. State changes go through the runner's
 * stores, whose changelog writes are produced with the batch.
 */
export type RecordHandler = (record: InboundRecord, context: HandlerContext) => Outputs | Promise<Outputs>;

/** A record a batch flush could not turn into outputs: the runner dead-letters it. */
export interface FailedRecord {
  record: InboundRecord;
  error: unknown;
}

export interface FlushResult {
  outputs: Outputs;
  failed?: readonly FailedRecord[];
}

/**
 * Called once every record of a batch is handled: for outputs a stage collects over a batch (one
 * case per report per batch rather than one per record). Its outputs and the dead letters of its
 * failed records are produced with the batch's, before the offsets are committed.
 */
export type BatchFlush = () => FlushResult | Promise<FlushResult>;
