import { type Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import { committedOffsets, partitionOffsets } from './group-offsets.ts';

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
  const [ends, starts] = await Promise.all([
    partitionOffsets(admin, topic, ListOffsetTimestamps.LATEST),
    partitionOffsets(admin, topic, ListOffsetTimestamps.EARLIEST),
  ]);
  const partitions = [...ends.keys()];
  const committed = await committedOffsets(admin, groupId, topic, partitions);
  let pending = 0n;
  let retained = 0n;
  for (const partition of partitions) {
    const end = ends.get(partition) ?? 0n;
    const start = starts.get(partition) ?? 0n;
    const position = committed.get(partition) ?? start;
    if (end > position) pending += end - position;
    retained += end - start;
  }
  return { groupId, topic, pending: Number(pending), retained: Number(retained) };
}
