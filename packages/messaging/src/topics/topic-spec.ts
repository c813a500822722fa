/** How long a failed record is retried before it is given up on, and how the waits grow. */
export interface RetryPolicy {
  /** Attempts for an error that is not retryable by nature but may be transient in this stage. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/** One topic of the catalogue: everything producers, consumers and the bootstrap need to know. */
export interface TopicSpec {
  /** Logical name with its version suffix, e.g. `items.v1`; the deployed name adds a prefix. */
  name: string;
  /** Avro record name of the value (see `schemas/`). */
  record: string;
  /** What the key is; report-keyed topics share a partition count so a report stays on one partition. */
  key: string;
  partitions: number;
  cleanupPolicy: 'delete' | 'compact';
  /** Retention for `delete` topics; -1 keeps records forever. */
  retentionMs: number;
  /** Whether consumers of this topic dead-letter poison records to `<name>.dlq`. */
  deadLetter: boolean;
  retry: RetryPolicy;
  description: string;
  /** Largest record the topic takes (`max.message.bytes`), when it must exceed the broker's 1 MiB default. */
  maxMessageBytes?: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 1, initialDelayMs: 200, maxDelayMs: 30_000 };

export const day = 24 * 60 * 60 * 1000;

export function deadLetterTopicName(topic: string): string {
  return `${topic}.dlq`;
}

/** The spec of a topic's dead-letter topic: same key, DeadLetter values, kept for 30 days. */
export function deadLetterSpec(source: TopicSpec): TopicSpec {
  return {
    name: deadLetterTopicName(source.name),
    record: 'DeadLetter',
    key: source.key,
    partitions: 1,
    cleanupPolicy: 'delete',
    retentionMs: 30 * day,
    deadLetter: false,
    retry: defaultRetryPolicy,
    description: `Records of ${source.name} that a stage could not process, with the original bytes and error code.`,
    // A dead letter carries the original record, so it must fit whatever the source topic takes.
    ...(source.maxMessageBytes === undefined ? {} : { maxMessageBytes: source.maxMessageBytes + 64 * 1024 }),
  };
}

/** The spec of a state store's changelog: compacted, co-partitioned with the input it aggregates. */
export function changelogSpec(input: TopicSpec, store: string, record: string): TopicSpec {
  const stage = store.split('.')[0] ?? store;
  return {
    name: `${store}.changelog.v1`,
    record,
    key: `the ${store} store key (partitioned like ${input.name})`,
    partitions: input.partitions,
    cleanupPolicy: 'compact',
    retentionMs: -1,
    deadLetter: false,
    retry: defaultRetryPolicy,
    description: `Changelog of the ${stage} stage's ${store} state; restores the store on partition assignment.`,
  };
}
