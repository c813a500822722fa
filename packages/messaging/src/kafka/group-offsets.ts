import { type Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import { TriageError } from '@triage/errors';
import { kafkaError } from './connection.ts';
import { committedOffsets, topicOffsets, topicPartitions } from './consumer-lag.ts';

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
    const partitions = await topicPartitions(admin, topic);
    const [earliest, end, committed] = await Promise.all([
      topicOffsets(admin, topic, partitions, ListOffsetTimestamps.EARLIEST),
      topicOffsets(admin, topic, partitions, ListOffsetTimestamps.LATEST),
      committedOffsets(admin, options.groupId, topic, partitions),
    ]);
    const atTime =
      options.target.kind === 'time'
        ? await topicOffsets(admin, topic, partitions, BigInt(options.target.at))
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
      // No record at or after the time: nothing to replay on this partition.
      return offsets.atTime ?? offsets.last;
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
