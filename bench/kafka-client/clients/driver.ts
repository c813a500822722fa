import type { FetchSettings, PartitionOffsets } from '../jobs.ts';

/**
 * What the bake-off needs from a Kafka client, implemented once per client (kafkajs.ts,
 * platformatic.ts). The measurement protocol (worker.ts) is shared, so both clients are driven
 * the same way; only the bindings differ.
 */

export interface OutRecord {
  readonly key: Buffer;
  readonly value: Buffer;
}

interface InRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly size: number;
}

export interface DriverProducer {
  /**
   * Turns records into the client's own message shape (outside any timed window) and returns a
   * function that sends them in one call with acks=all on the idempotent producer; calling it
   * again resends the same records.
   */
  prepare(records: readonly OutRecord[]): () => Promise<void>;
  close(): Promise<void>;
}

interface ConsumerHandlers {
  /** Called once per delivered record; its offset is committed only after this returns. */
  onRecord(record: InRecord): void;
  /** An error the client surfaced to the application; the driver carries on consuming. */
  onError(error: unknown): void;
}

export interface ConsumeOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly fetch: FetchSettings;
  readonly handlers: ConsumerHandlers;
}

export interface DriverConsumer {
  /** Stops consuming, commits what was processed and leaves the group. */
  close(): Promise<void>;
}

export interface Driver {
  createTopic(topic: string, partitions: number, replicationFactor: number): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  offsets(topic: string, groupId?: string): Promise<PartitionOffsets[]>;
  /** A connected idempotent producer (acks=all), ready to send. */
  producer(topic: string): Promise<DriverProducer>;
  /**
   * Joins the group and consumes from its committed offsets (the earliest offset when it has
   * none), committing after each processed record or batch, the way the client is meant to be used.
   */
  consume(options: ConsumeOptions): Promise<DriverConsumer>;
  close(): Promise<void>;
}

/** Retry budget given to both clients (the same in spirit: about a minute of broker absence). */
export const retryBudget = { retries: 60, delayMs: 1000 } as const;

/** A short, stable label for an error, for the histogram of errors a client surfaced. */
export function errorLabel(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 120);
  const code = (error as { code?: unknown }).code;
  const type = (error as { type?: unknown }).type;
  const tag = [
    error.name,
    typeof code === 'string' ? code : undefined,
    typeof type === 'string' ? type : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const message = error.message.replace(/\d+(\.\d+)*/g, '#').slice(0, 100);
  return `${tag}: ${message}`;
}
