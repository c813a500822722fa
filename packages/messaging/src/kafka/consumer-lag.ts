import { type Admin, ListOffsetTimestamps } from '@platformatic/kafka';

/** How far a consumer group is behind on one topic. */
export interface ConsumerLag {
  readonly groupId: string;
  readonly topic: string;
  /** Records between the group's committed position and the end, summed over partitions. */
  readonly pending: number;
  /** Records ever written to the topic that are still retained (end minus earliest). */
  readonly retained: number;
  /**
   * The group's position summed over partitions (committed offset, or the earliest retained where
   * it never committed): two samples apart in time give the records/s it reads.
   */
  readonly position: number;
}

/** The partition numbers of `topic` (a deployed name); none when the topic does not exist. */
export async function topicPartitions(admin: Admin, topic: string): Promise<number[]> {
  const metadata = await admin.metadata({ topics: [topic] });
  const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
  return Array.from({ length: count }, (_, index) => index);
}

/**
 * Per partition, the offset at `timestamp`: `ListOffsetTimestamps.LATEST` (the end),
 * `EARLIEST`, or a time in ms (the first record at or after it; the end when there is none).
 */
export async function topicOffsets(
  admin: Admin,
  topic: string,
  partitions: readonly number[],
  timestamp: bigint,
): Promise<Map<number, bigint>> {
  const listed = await admin.listOffsets({
    topics: [
      { name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) },
    ],
  });
  const found = listed.find((entry) => entry.name === topic)?.partitions ?? [];
  const offsets = new Map(found.map((partition) => [partition.partitionIndex, partition.offset]));
  // A time after the last record answers -1: nothing from there on, so the end.
  const missing = [...offsets].filter(([, offset]) => offset < 0n).map(([partition]) => partition);
  if (missing.length > 0 && timestamp >= 0n) {
    const ends = await topicOffsets(admin, topic, missing, ListOffsetTimestamps.LATEST);
    for (const [partition, end] of ends) offsets.set(partition, end);
  }
  return offsets;
}

/** The group's committed offset per partition of `topic`; a partition never committed is absent. */
export async function committedOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
  partitions: readonly number[],
): Promise<Map<number, bigint>> {
  const groups = await admin.listConsumerGroupOffsets({
    groups: [{ groupId, topics: [{ name: topic, partitionIndexes: [...partitions] }] }],
  });
  const found = groups[0]?.topics.find((entry) => entry.name === topic)?.partitions ?? [];
  return new Map(
    found
      .filter((partition) => partition.committedOffset >= 0n)
      .map((partition) => [partition.partitionIndex, partition.committedOffset]),
  );
}

/**
 * The group's lag on `topic` (the deployed name). A partition the group never committed counts
 * from its earliest retained record, which is where a new group starts reading.
 */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<ConsumerLag> {
  const partitions = await topicPartitions(admin, topic);
  const [ends, starts, committed] = await Promise.all([
    topicOffsets(admin, topic, partitions, ListOffsetTimestamps.LATEST),
    topicOffsets(admin, topic, partitions, ListOffsetTimestamps.EARLIEST),
    committedOffsets(admin, groupId, topic, partitions),
  ]);
  let pending = 0n;
  let retained = 0n;
  let positions = 0n;
  for (const partition of partitions) {
    const end = ends.get(partition) ?? 0n;
    const start = starts.get(partition) ?? 0n;
    const position = committed.get(partition) ?? start;
    if (end > position) pending += end - position;
    positions += position;
    retained += end - start;
  }
  return {
    groupId,
    topic,
    pending: Number(pending),
    retained: Number(retained),
    position: Number(positions),
  };
}
