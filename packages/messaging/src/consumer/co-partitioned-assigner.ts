import type { GroupPartitionsAssigner, GroupPartitionsAssignments } from '@platformatic/kafka';

/**
 * Gives each member whole partition numbers: partition p of every subscribed topic goes to the
 * same member, so a stage that joins co-partitioned topics (same key, same partition count) sees
 * every record of one key on one instance. Partition numbers are dealt round-robin over the
 * members sorted by id, so every member computing it gets the same answer.
 * (The client's default round-robin deals topic-partitions as one list, which splits partition p
 * of two topics over two members whenever the partition count is not a multiple of the members.)
 */
export const coPartitionedAssigner: GroupPartitionsAssigner = (_current, members, topics, metadata) => {
  const memberIds = [...members.keys()].sort();
  const assignments: GroupPartitionsAssignments[] = memberIds.map((memberId) => ({
    memberId,
    assignments: new Map(),
  }));
  if (memberIds.length === 0) return assignments;
  const counts = [...topics].map((topic) => ({
    topic,
    count: metadata.topics.get(topic)?.partitionsCount ?? 0,
  }));
  const most = Math.max(0, ...counts.map(({ count }) => count));
  for (let partition = 0; partition < most; partition++) {
    const member = assignments[partition % assignments.length]!;
    const subscribed = members.get(member.memberId)?.topics;
    for (const { topic, count } of counts) {
      if (partition >= count || (subscribed && !subscribed.includes(topic))) continue;
      const entry = member.assignments.get(topic) ?? { topic, partitions: [] };
      entry.partitions.push(partition);
      member.assignments.set(topic, entry);
    }
  }
  return assignments;
};
