import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { coPartitionedAssigner } from './co-partitioned-assigner.ts';

function metadata(counts: Record<string, number>): ClusterMetadata {
  return {
    id: 'cluster',
    brokers: new Map(),
    controllerId: 1,
    lastUpdate: 0,
    topics: new Map(
      Object.entries(counts).map(([topic, partitionsCount]) => [
        topic,
        { id: topic, partitions: [], partitionsCount, lastUpdate: 0 },
      ]),
    ),
  };
}

function members(ids: string[], topics?: string[]): Map<string, ExtendedGroupProtocolSubscription> {
  return new Map(ids.map((memberId) => [memberId, { memberId, version: 1, topics }]));
}

/** member -> topic -> partitions */
function layout(result: ReturnType<typeof coPartitionedAssigner>): Record<string, Record<string, number[]>> {
  return Object.fromEntries(
    result.map((member) => [
      member.memberId,
      Object.fromEntries([...member.assignments.values()].map((entry) => [entry.topic, entry.partitions])),
    ]),
  );
}

describe('co-partitioned assigner', () => {
  it('given two topics of 5 partitions and 2 members, when assigned, then partition p of both topics goes to one member', () => {
    const result = coPartitionedAssigner(
      'b',
      members(['b', 'a']),
      new Set(['reports', 'items']),
      metadata({ reports: 5, items: 5 }),
    );
    expect(layout(result)).toEqual({
      a: { reports: [0, 2, 4], items: [0, 2, 4] },
      b: { reports: [1, 3], items: [1, 3] },
    });
  });

  it('given 4 members and 6 partitions, when every member computes it, then all get the same answer and every partition is assigned once', () => {
    const ids = ['m3', 'm1', 'm4', 'm2'];
    const topics = new Set(['x', 'y']);
    const first = layout(coPartitionedAssigner('m1', members(ids), topics, metadata({ x: 6, y: 6 })));
    const second = layout(
      coPartitionedAssigner('m4', members([...ids].reverse()), topics, metadata({ x: 6, y: 6 })),
    );
    expect(second).toEqual(first);
    for (const topic of topics) {
      const all = Object.values(first).flatMap((member) => member[topic] ?? []);
      expect(all.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    }
    for (const member of Object.values(first)) expect(member.x).toEqual(member.y);
  });

  it('given a member subscribed to one topic only, when assigned, then it gets no partitions of the other', () => {
    const subscriptions = new Map<string, ExtendedGroupProtocolSubscription>([
      ['a', { memberId: 'a', version: 1, topics: ['x'] }],
    ]);
    const result = coPartitionedAssigner('a', subscriptions, new Set(['x', 'y']), metadata({ x: 2, y: 2 }));
    expect(layout(result)).toEqual({ a: { x: [0, 1] } });
  });
});
