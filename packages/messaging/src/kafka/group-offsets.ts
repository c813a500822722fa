import { type Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import { TriageError } from '@triage/errors';
import { kafkaError } from './connection.ts';

/** Per partition of `topic` (the deployed name), the offset `listOffsets` gives for `timestamp`. */
export async function partitionOffsets(
  admin: Admin,
  topic: string,
  timestamp: bigint,
): Promise<Map<number, bigint>> {
  const metadata = await admin.metadata({ topics: [topic] });
  const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
  const listed = await admin.listOffsets({
    topics: [
      {
        name: topic,
        partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp })),
      },
    ],
  });
  const found = listed.find((entry) => entry.name === topic)?.partitions ?? [];
  return new Map(found.map((partition) => [partition.partitionIndex, partition.offset]));
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

/** Where a reset moves a group: its inputs' earliest records, a point in time, or given offsets. */
export type ResetTarget =
  | { kind: 'earliest' }
  | { kind: 'time'; at: number }
  | { kind: 'offsets'; offsets: ReadonlyMap<number, bigint> };

/** One partition of a reset: where the group is, where it goes, and what the topic still holds. */
export interface PartitionReset {
  topic: string;
  partition: number;
  /** The committed offset now; null when the group never committed this partition. */
  from: bigint | null;
  to: bigint;
  /** First retained offset: records before it are gone (retention). */
  earliest: bigint;
  end: bigint;
}

/** Members of a consumer group: a group that has any is running and must not be reset. */
export async function groupMembers(
  admin: Admin,
  groupId: string,
): Promise<{ state: string; members: number }> {
  try {
    const group = (await admin.describeGroups({ groups: [groupId] })).get(groupId);
    return { state: group?.state ?? 'DEAD', members: group?.members.size ?? 0 };
  } catch (error) {
    throw kafkaError(error, `describe group ${groupId}`);
  }
}

/**
 * The reset of `groupId` on each of `topics` (deployed names) to `target`, per partition, without
 * changing anything. A time past a partition's last record goes to its end; offsets outside what
 * the partition retains are refused.
 */
export async function planGroupReset(
  admin: Admin,
  options: { groupId: string; topics: readonly string[]; target: ResetTarget },
): Promise<PartitionReset[]> {
  const plan: PartitionReset[] = [];
  for (const topic of options.topics) {
    const [earliest, end] = await Promise.all([
      partitionOffsets(admin, topic, ListOffsetTimestamps.EARLIEST),
      partitionOffsets(admin, topic, ListOffsetTimestamps.LATEST),
    ]);
    const partitions = [...end.keys()].sort((a, b) => a - b);
    const committed = await committedOffsets(admin, options.groupId, topic, partitions);
    const atTime =
      options.target.kind === 'time'
        ? await partitionOffsets(admin, topic, BigInt(options.target.at))
        : new Map<number, bigint>();
    for (const partition of partitions) {
      const first = earliest.get(partition) ?? 0n;
      const last = end.get(partition) ?? 0n;
      const to = resetOffset(options.target, partition, { first, last, atTime: atTime.get(partition) });
      if (to < first || to > last) {
        throw new TriageError(
          'TRIAGE_REPLAY_INVALID',
          `${topic} partition ${partition}: offset ${to} is outside ${first}..${last}, what the partition holds`,
        );
      }
      plan.push({ topic, partition, from: committed.get(partition) ?? null, to, earliest: first, end: last });
    }
  }
  return plan;
}

function resetOffset(
  target: ResetTarget,
  partition: number,
  offsets: { first: bigint; last: bigint; atTime: bigint | undefined },
): bigint {
  switch (target.kind) {
    case 'earliest':
      return offsets.first;
    case 'time':
      // -1: no record at or after the time, so nothing to replay on this partition.
      return offsets.atTime === undefined || offsets.atTime < 0n ? offsets.last : offsets.atTime;
    case 'offsets':
      // Partitions not named keep their place (or start where a new group would).
      return target.offsets.get(partition) ?? offsets.first;
  }
}

/** Commits the plan's offsets for the group; refuses while the group has members. */
export async function applyGroupReset(
  admin: Admin,
  groupId: string,
  plan: readonly PartitionReset[],
): Promise<void> {
  const { members } = await groupMembers(admin, groupId);
  if (members > 0) {
    throw new TriageError(
      'TRIAGE_GROUP_ACTIVE',
      `consumer group ${groupId} has ${members} member(s): stop the stage before resetting its offsets`,
    );
  }
  const topics = [...new Set(plan.map((entry) => entry.topic))].map((name) => ({
    name,
    partitionOffsets: plan
      .filter((entry) => entry.topic === name)
      .map((entry) => ({ partition: entry.partition, offset: entry.to })),
  }));
  try {
    await admin.alterConsumerGroupOffsets({ groupId, topics });
  } catch (error) {
    throw kafkaError(error, `reset offsets of ${groupId}`);
  }
}
