import {
  type ClusterMetadata,
  compatibilityPartitioner,
  type Producer,
  type Serializers,
  stringSerializer,
} from '@platformatic/kafka';
import type { OutboundRecord } from './record-producer.ts';

export type ProducerSerializers = Serializers<string, Buffer, string, string>;

export const recordSerializers: ProducerSerializers = {
  key: stringSerializer,
  value: (value?: Buffer) => value,
  headerKey: stringSerializer,
  headerValue: stringSerializer,
};

export type PlacedRecord = OutboundRecord & { partition: number };

/**
 * Decides each record's partition up front with the Java-compatible murmur2 partitioner, so a
 * partial failure says exactly what to resend and tools in other languages agree on placement.
 */
export async function placeRecords(
  producer: Producer<string, Buffer, string, string>,
  records: readonly OutboundRecord[],
): Promise<PlacedRecord[]> {
  const topics = [
    ...new Set(records.filter((record) => record.partition === undefined).map((record) => record.topic)),
  ];
  const metadata = topics.length > 0 ? await producer.metadata({ topics }) : undefined;
  return records.map((record) => {
    if (record.partition !== undefined) return record as PlacedRecord;
    return { ...record, partition: partitionOf(record.topic, record.key, metadata) };
  });
}

/** The partition the Java-compatible murmur2 partitioner gives a key. */
export function partitionOf(topic: string, key: string, metadata: ClusterMetadata | undefined): number {
  const count = metadata?.topics.get(topic)?.partitionsCount ?? 1;
  return compatibilityPartitioner({ topic }, Buffer.from(key, 'utf8')) % count;
}

/** The client's message for a placed record; a null value is written as the tombstone of a compacted topic. */
export function toMessage(record: PlacedRecord) {
  return {
    topic: record.topic,
    key: record.key,
    partition: record.partition,
    ...(record.value === null ? {} : { value: record.value }),
    ...(record.headers === undefined ? {} : { headers: record.headers }),
  };
}
