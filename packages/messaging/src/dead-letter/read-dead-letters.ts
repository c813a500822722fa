import { Admin } from '@platformatic/kafka';
import { TriageError } from '@triage/errors';
import type { Codec, DeadLetter } from '@triage/schemas';
import { baseClientOptions, deployedTopic, type KafkaConnection, kafkaError } from '../kafka/connection.ts';
import { PartitionReader } from '../state/partition-reader.ts';
import { allTopics } from '../topics/pipeline-topics.ts';
import { deadLetterTopicName, type TopicSpec } from '../topics/topic-spec.ts';
import { type DeadLetterFilter, matchesDeadLetter, matchesHeaders } from './dead-letter-filter.ts';
import { type DeadLetterId, formatDeadLetterId } from './dead-letter-id.ts';

/** A dead letter as the tools see it: where it is, the spec of the topic it came from, and its content. */
export interface StoredDeadLetter {
  /** `<dlq topic>:<partition>:<offset>` (catalogue name). */
  id: string;
  source: TopicSpec;
  deadLetter: DeadLetter;
}

/**
 * The catalogue topics whose dead letters `topics` names (original or `.dlq` names; every topic
 * with dead letters when none). `TRIAGE_DLQ_OPTION_INVALID` for a name with no dead-letter topic.
 */
export function deadLetterSources(
  topics: readonly string[] = [],
  catalogue: readonly TopicSpec[] = allTopics,
): TopicSpec[] {
  const withDeadLetters = catalogue.filter((spec) => spec.deadLetter);
  if (topics.length === 0) return withDeadLetters;
  return topics.map((name) => {
    const spec = withDeadLetters.find((candidate) =>
      [candidate.name, deadLetterTopicName(candidate.name)].includes(name),
    );
    if (!spec)
      throw new TriageError(
        'TRIAGE_DLQ_OPTION_INVALID',
        `${name} has no dead letters; topics that have: ${withDeadLetters.map((s) => s.name).join(', ')}`,
      );
    return spec;
  });
}

export interface ReadDeadLettersOptions {
  connection: KafkaConnection;
  codec: Codec;
  filter?: DeadLetterFilter;
  /** The topics whose dead letters may be read (default the catalogue); `filter.topics` narrows them. */
  catalogue?: readonly TopicSpec[];
}

/**
 * Reads the dead-letter topics the filter names from the beginning to their current end, outside
 * any consumer group's offsets (a reader of its own that commits nothing), testing the headers
 * before decoding. A dead-letter topic that was never created holds nothing.
 */
export async function readDeadLetters(options: ReadDeadLettersOptions): Promise<StoredDeadLetter[]> {
  const { connection, codec, filter = {} } = options;
  const sources = deadLetterSources(filter.topics, options.catalogue);
  const existing = await existingTopics(connection);
  // Topics side by side (each reader joins a group of its own, which takes a moment), in catalogue order.
  const perTopic = await Promise.all(
    sources.map(async (source) => {
      const letters: StoredDeadLetter[] = [];
      const topic = deadLetterTopicName(source.name);
      if (!existing.has(deployedTopic(connection, topic))) return letters;
      const reader = new PartitionReader({
        connection,
        topic: deployedTopic(connection, topic),
        name: 'dlq',
      });
      try {
        await reader.readToEnd((record) => {
          if (record.value === null || !matchesHeaders(filter, record.headers ?? {})) return;
          const deadLetter = codec.decode('DeadLetter', record.value);
          if (!matchesDeadLetter(filter, deadLetter)) return;
          const id = formatDeadLetterId({ topic, partition: record.partition, offset: record.offset });
          letters.push({ id, source, deadLetter });
        });
      } finally {
        await reader.close();
      }
      return letters;
    }),
  );
  return perTopic.flat();
}

/** One dead letter by id; `TRIAGE_DEAD_LETTER_NOT_FOUND` when nothing is stored there. */
export async function readDeadLetter(
  options: Omit<ReadDeadLettersOptions, 'filter'> & { id: DeadLetterId },
): Promise<StoredDeadLetter> {
  const { connection, codec, id } = options;
  const [source] = deadLetterSources([id.topic], options.catalogue);
  const topic = deployedTopic(connection, id.topic);
  const missing = () =>
    new TriageError('TRIAGE_DEAD_LETTER_NOT_FOUND', `no dead letter at ${formatDeadLetterId(id)}`);
  if (!(await existingTopics(connection)).has(topic)) throw missing();
  const reader = new PartitionReader({ connection, topic, partitions: [id.partition], name: 'dlq-show' });
  try {
    const end = (await reader.endOffsets()).get(id.partition);
    if (end === undefined || id.offset >= end) throw missing();
    for await (const record of reader.follow(new Map([[id.partition, id.offset]]))) {
      // Retention may have removed it: the first record then comes later.
      if (record.offset !== id.offset || record.value === null) throw missing();
      return {
        id: formatDeadLetterId(id),
        source: source!,
        deadLetter: codec.decode('DeadLetter', record.value),
      };
    }
    throw missing();
  } finally {
    await reader.close();
  }
}

/** The deployed topics that exist (a topic never bootstrapped holds nothing to read). */
export async function existingTopics(connection: KafkaConnection): Promise<Set<string>> {
  const admin = new Admin(baseClientOptions(connection, 'dlq-admin'));
  try {
    return new Set(await admin.listTopics());
  } catch (error) {
    throw kafkaError(error, 'list topics');
  } finally {
    await admin.close().catch(() => undefined);
  }
}
