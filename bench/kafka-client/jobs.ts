/**
 * Messages between the suite (parent process) and bench/kafka-client/worker.ts. Every measurement
 * runs in a fresh child process so CPU time and peak RSS belong to one client and one measurement.
 */

export const clientNames = ['kafkajs', 'platformatic'] as const;
export type ClientName = (typeof clientNames)[number];

/** Fetch limits, the same for both clients. */
export interface FetchSettings {
  readonly maxBytes: number;
  readonly maxBytesPerPartition: number;
  readonly maxWaitMs: number;
}

interface JobBase {
  readonly client: ClientName;
  readonly brokers: readonly string[];
}

interface CreateTopicJob extends JobBase {
  readonly kind: 'create-topic';
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

interface DeleteTopicsJob extends JobBase {
  readonly kind: 'delete-topics';
  readonly topics: readonly string[];
}

export interface ProduceJob extends JobBase {
  readonly kind: 'produce';
  readonly topic: string;
  readonly records: number;
  readonly recordBytes: number;
  /** Records per send call. */
  readonly batchRecords: number;
  /** Send calls in flight at once. */
  readonly inFlight: number;
  readonly seed: number;
}

export interface ConsumeJob extends JobBase {
  readonly kind: 'consume';
  readonly topic: string;
  readonly groupId: string;
  readonly records: number;
  readonly fetch: FetchSettings;
}

interface OffsetsJob extends JobBase {
  readonly kind: 'offsets';
  readonly topic: string;
  readonly groupId?: string;
}

export interface ReadAllJob extends JobBase {
  readonly kind: 'read-all';
  readonly topic: string;
  readonly groupId: string;
  /** Records in the topic (sum of end - start offsets): the read stops when it has them all. */
  readonly expected: number;
  readonly fetch: FetchSettings;
}

export interface RecoveryJob extends JobBase {
  readonly kind: 'recovery';
  readonly topic: string;
  readonly groupId: string;
  readonly records: number;
  readonly recordBytes: number;
  readonly batchRecords: number;
  /** Producer pacing, so the broker outage falls in the middle of the run. */
  readonly ratePerSecond: number;
  /** Give up (and report "not recovered") after this long. */
  readonly deadlineMs: number;
  readonly fetch: FetchSettings;
  readonly seed: number;
}

export type Job =
  | CreateTopicJob
  | DeleteTopicsJob
  | ProduceJob
  | ConsumeJob
  | OffsetsJob
  | ReadAllJob
  | RecoveryJob;

/** One timed produce or consume run. */
export interface Measurement {
  readonly records: number;
  readonly bytes: number;
  /** Produce: first send to last ack. Consume: first record to last record. */
  readonly elapsedMs: number;
  /** Consume only: consumer creation (connect, group join) to the first record. */
  readonly startupMs?: number;
  /** User + system CPU time of the client process during the timed window. */
  readonly cpuMs: number;
  /** Peak resident set size of the client process (whole life, including the payload pool). */
  readonly peakRssMb: number;
}

export interface PartitionOffsets {
  readonly partition: number;
  readonly start: number;
  readonly end: number;
  /** Committed offset of the group (next record to read); -1 when none. */
  readonly committed: number;
}

export interface ReadAllResult {
  /** Per record read: partition, offset and sequence number (from the key), in read order. */
  readonly partitions: Int32Array;
  readonly offsets: Float64Array;
  readonly seqs: Int32Array;
}

export interface RecoveryProgress {
  readonly acked: number;
  readonly processed: number;
}

export interface RecoveryRun {
  /** 1 where the producer had the record acknowledged. */
  readonly acked: Uint8Array;
  /** How many times the consumer processed each record (saturates at 255). */
  readonly processed: Uint8Array;
  /** Epoch ms of every acknowledged send call. */
  readonly ackTimes: Float64Array;
  /** Epoch ms of every processed record, in processing order. */
  readonly processTimes: Float64Array;
  /** Send calls that failed and were retried by the application (after the client's own retries). */
  readonly sendFailures: number;
  /** Errors the client surfaced to the application, by name/code and message. */
  readonly errors: Readonly<Record<string, number>>;
  /** True when every acknowledged record was processed before the deadline. */
  readonly completed: boolean;
}

export type JobResult = Measurement | PartitionOffsets[] | ReadAllResult | RecoveryRun | null;
