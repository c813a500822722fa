import { type Output, type Outputs, outputBarrier } from '../consumer/runner-types.ts';
import { RecordChunker, type SendLimits } from './chunk-records.ts';
import type { OutboundRecord } from './record-producer.ts';

/** A record to send and the input it was written for (none for flush outputs and store writes). */
export interface OwnedRecord<O> {
  record: OutboundRecord;
  owner: O | undefined;
}

export interface OutputSinkOptions<O> {
  limits: SendLimits;
  /** Sends one chunk; resolves once every record of it is acknowledged. */
  send(chunk: readonly OwnedRecord<O>[]): Promise<void>;
}

/**
 * Where a batch's outputs go, from every partition handled side by side: records are cut into
 * chunks in the order they are written, and each chunk is sent once the one before it is
 * acknowledged. A chunk is sent as soon as it is full, so a handler that yields thousands of
 * records never has more than a chunk of them waiting. Once a send fails, every later one fails
 * with it (the batch is abandoned and its records re-delivered).
 */
export class OutputSink<O> {
  readonly #options: OutputSinkOptions<O>;
  readonly #chunker: RecordChunker<OwnedRecord<O>>;
  /** Owners whose records the broker refused for good: nothing more of theirs is sent. */
  readonly #refused = new Set<O>();
  #sending: Promise<void> = Promise.resolve();

  constructor(options: OutputSinkOptions<O>) {
    this.#options = options;
    this.#chunker = new RecordChunker(options.limits, (entry) => entry.record);
  }

  /**
   * Takes outputs in order, reading an iterable lazily; resolves once they are all queued, or
   * early once `owner` is refused (the iterable is closed then).
   */
  async write(outputs: Outputs, owner?: O): Promise<void> {
    const refused = () => owner !== undefined && this.#refused.has(owner);
    if (Symbol.asyncIterator in outputs) {
      for await (const output of outputs) {
        if (refused()) return;
        await this.#add(output, owner);
      }
    } else {
      for (const output of outputs) {
        if (refused()) return;
        const sending = this.#add(output, owner);
        if (sending) await sending;
      }
    }
  }

  /** Sends what is waiting; resolves once everything written so far is acknowledged. */
  barrier(): Promise<void> {
    const rest = this.#chunker.take();
    return rest.length > 0 ? this.#queue(rest) : this.#sending;
  }

  /** Drops the records of `owner` not sent yet (its handler failed and will run again or be dead-lettered). */
  discard(owner: O): void {
    this.#chunker.retain((entry) => entry.owner !== owner);
  }

  /**
   * Sends nothing more of `owner`'s: its records waiting or queued are dropped and its write
   * ends. For an input dead-lettered because the broker refused one of its records, so what it
   * would have written after (the splitter's status) never claims all went out.
   */
  refuse(owner: O): void {
    this.#refused.add(owner);
    this.discard(owner);
  }

  #add(output: Output, owner: O | undefined): Promise<void> | undefined {
    if (output === outputBarrier) return this.barrier();
    const full = this.#chunker.add({ record: output, owner });
    return full ? this.#queue(full) : undefined;
  }

  #queue(chunk: OwnedRecord<O>[]): Promise<void> {
    this.#sending = this.#sending.then(() => {
      const live = chunk.filter((entry) => entry.owner === undefined || !this.#refused.has(entry.owner));
      return live.length > 0 ? this.#options.send(live) : undefined;
    });
    return this.#sending;
  }
}
