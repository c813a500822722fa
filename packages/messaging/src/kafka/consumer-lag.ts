import { type Admin, ListOffsetTimestamps } from '@platformatic/kafka';

/** How far a consumer group is behind on one topic. */
export interface ConsumerLag {
  readonly groupId: string;
  readonly topic: string;
  /** Records between the group's committed position and the end, summed over partitions. */
  readonly pending: number;
  /** Records ever written to the topic that are still retained (end minus earliest). */
  readonly retained: number;
}

/**
 * The group's lag on `topic` (the deployed name). A partition the group never committed counts
 * from its earliest retained record, which is where a new group starts reading.
 */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<ConsumerLag> {
  const metadata = await admin.metadata({ topics: [topic] });
  const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
  const partitions = Array.from({ length: count }, (_, index) => index);
  const offsets = async (timestamp: bigint) => {
    const listed = await admin.listOffsets({
      topics: [
        { name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) },
      ],
    });
    const found = listed.find((entry) => entry.name === topic)?.partitions ?? [];
    return new Map(found.map((partition) => [partition.partitionIndex, partition.offset]));
  };
  const [ends, starts, groups] = await Promise.all([
    offsets(ListOffsetTimestamps.LATEST),
    offsets(ListOffsetTimestamps.EARLIEST),
    admin.listConsumerGroupOffsets({
      groups: [{ groupId, topics: [{ name: topic, partitionIndexes: partitions }] }],
    }),
  ]);
  const committed = new Map(
    (groups[0]?.topics.find((entry) => entry.name === topic)?.partitions ?? []).map((partition) => [
      partition.partitionIndex,
      partition.committedOffset,
    ]),
  );
  let pending = 0n;
  let retained = 0n;
  for (const partition of partitions) {
    const end = ends.get(partition) ?? 0n;
    const start = starts.get(partition) ?? 0n;
    const position = (committed.get(partition) ?? -1n) >= 0n ? committed.get(partition)! : start;
    if (end > position) pending += end - position;
    retained += end - start;
  }
  return { groupId, topic, pending: Number(pending), retained: Number(retained) };
}
