import {
  compatibilityPartitioner,
  ProduceAcks,
  Producer,
  type Serializers,
  stringSerializer,
} from '@platformatic/kafka';
import { baseClientOptions, type KafkaConnection, kafkaError } from '../kafka/connection.ts';

/** A record to write. `value: null` is a tombstone (compacted topics). Topic names are deployed names. */
export interface OutboundRecord {
  topic: string;
  key: string;
  value: Buffer | null;
  headers?: Record<string, string>;
  /** Set only when a record must land on a given partition (state changelogs). */
  partition?: number;
}

export interface RecordProducer {
  /** Writes all records with acks=all; resolves once every one is acknowledged. */
  send(records: readonly OutboundRecord[]): Promise<void>;
  close(): Promise<void>;
}

type ProducerSerializers = Serializers<string, Buffer, string, string>;

const serializers: ProducerSerializers = {
  key: stringSerializer,
  value: (value?: Buffer) => value,
  headerKey: stringSerializer,
  headerValue: stringSerializer,
};

/**
 * An idempotent producer with acks=all. Keys are partitioned with the Java-compatible murmur2
 * partitioner, so tools in other languages place a report on the same partition we do.
 */
export function createRecordProducer(connection: KafkaConnection, name: string): RecordProducer {
  const producer = new Producer<string, Buffer, string, string>({
    ...baseClientOptions(connection, name),
    idempotent: true,
    acks: ProduceAcks.ALL,
    partitioner: compatibilityPartitioner,
    serializers,
  });
  return {
    async send(records) {
      if (records.length === 0) return;
      try {
        await producer.send({
          messages: records.map((record) => ({
            topic: record.topic,
            key: record.key,
            // A missing value is written as a null record value: the tombstone of a compacted topic.
            ...(record.value === null ? {} : { value: record.value }),
            ...(record.headers === undefined ? {} : { headers: record.headers }),
            ...(record.partition === undefined ? {} : { partition: record.partition }),
          })),
        });
      } catch (error) {
        throw kafkaError(error, 'produce');
      }
    },
    async close() {
      await producer.close();
    },
  };
}
