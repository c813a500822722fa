import { randomUUID } from 'node:crypto';
import { Consumer, MessagesStreamModes, stringDeserializer } from '@platformatic/kafka';
import { baseClientOptions, type KafkaConnection } from '../kafka/connection.ts';
import { PartitionReader } from '../state/partition-reader.ts';

/** A record read back from a topic by a test. */
export interface ReadRecord {
  partition: number;
  offset: bigint;
  key: string;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** A record count to reach, or a test on what has been read so far. */
export type ReadUntil = number | ((records: readonly ReadRecord[]) => boolean);

/** Reads `topic` (a deployed name) from the start with a throwaway group. */
export async function readTopic(
  connection: KafkaConnection,
  topic: string,
  until: ReadUntil,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const done =
    typeof until === 'number' ? (records: readonly ReadRecord[]) => records.length >= until : until;
  const consumer = new Consumer({
    ...baseClientOptions(connection, 'test-reader'),
    groupId: `test-reader-${randomUUID()}`,
    deserializers: {
      key: stringDeserializer,
      headerKey: stringDeserializer,
      headerValue: stringDeserializer,
    },
    autocommit: false,
    maxWaitTime: 200,
  });
  const records: ReadRecord[] = [];
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: false,
  });
  const timer = setTimeout(() => void stream.close(), timeoutMs);
  try {
    if (!done(records)) {
      for await (const message of stream) {
        records.push({
          partition: message.partition,
          offset: message.offset,
          key: message.key ?? '',
          value: Buffer.isBuffer(message.value) ? message.value : null,
          headers: Object.fromEntries(message.headers) as Record<string, string>,
        });
        if (done(records)) break;
      }
    }
  } finally {
    clearTimeout(timer);
    await stream.close().catch(() => undefined);
    await consumer.close(true).catch(() => undefined);
  }
  return records;
}

/**
 * Records written to `topic` (a deployed name) so far: its partitions' end offsets summed. On a
 * topic written in transactions (intake's) offsets count commit markers too: `committedRecordCount`.
 */
export async function topicRecordCount(connection: KafkaConnection, topic: string): Promise<bigint> {
  const reader = new PartitionReader({ connection, topic, name: 'test-count' });
  try {
    return [...(await reader.endOffsets()).values()].reduce((sum, end) => sum + end, 0n);
  } finally {
    await reader.close();
  }
}

/** Records readers see on `topic` (a deployed name): committed ones, read to the end and counted. */
export async function committedRecordCount(connection: KafkaConnection, topic: string): Promise<bigint> {
  const reader = new PartitionReader({ connection, topic, name: 'test-count-committed' });
  let count = 0n;
  try {
    await reader.readToEnd(() => {
      count += 1n;
    });
  } finally {
    await reader.close();
  }
  return count;
}
