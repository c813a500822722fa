import { describe, expect, it } from 'vitest';
import { pipelineTopics, stateTopics } from './pipeline-topics.ts';
import { type ObservedConfig, type ObservedTopic, topicDrift } from './topic-drift.ts';
import { deadLetterSpec } from './topic-spec.ts';

const day = 86_400_000;
const topicLevel = (value: string): ObservedConfig => ({ value, override: true });
const brokerLevel = (value: string): ObservedConfig => ({ value, override: false });

/** A topic exactly as bootstrap creates `items.v1` on one broker. */
const asCreated: ObservedTopic = {
  partitions: 6,
  replicationFactor: 1,
  configs: {
    'cleanup.policy': topicLevel('delete'),
    'retention.ms': topicLevel(String(30 * day)),
    'max.message.bytes': brokerLevel('1048588'),
    'min.insync.replicas': brokerLevel('1'),
  },
};

const withConfig = (name: string, config: ObservedConfig): ObservedTopic => ({
  ...asCreated,
  configs: { ...asCreated.configs, [name]: config },
});

describe('topicDrift', () => {
  it('given a topic as the catalogue made it, finds no drift', () => {
    expect(topicDrift(pipelineTopics.items, asCreated, 1)).toEqual([]);
  });

  it('given fewer partitions on a keyed topic, reports a manual migration and says keys would move', () => {
    const [entry, ...rest] = topicDrift(pipelineTopics.items, { ...asCreated, partitions: 3 }, 1);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      setting: 'partitions',
      expected: '6',
      actual: '3',
      fix: { kind: 'manual' },
    });
    const reason = entry?.fix.kind === 'manual' ? entry.fix.reason : '';
    expect(reason).toContain('moves keys');
    expect(reason).toContain('co-partitioning');
  });

  it('given more partitions than the catalogue, says Kafka cannot remove them', () => {
    const [entry] = topicDrift(pipelineTopics.items, { ...asCreated, partitions: 12 }, 1);
    expect(entry?.fix).toEqual({
      kind: 'manual',
      reason: expect.stringContaining('cannot remove partitions'),
    });
  });

  it('given a shorter retention than the catalogue, raises it (nothing is lost)', () => {
    const drift = topicDrift(
      pipelineTopics.items,
      withConfig('retention.ms', topicLevel(String(7 * day))),
      1,
    );
    expect(drift).toEqual([
      {
        setting: 'retention.ms',
        expected: String(30 * day),
        actual: String(7 * day),
        fix: { kind: 'set', value: String(30 * day) },
      },
    ]);
  });

  it('given a kept-forever topic with a finite retention, sets -1', () => {
    const observed = withConfig('retention.ms', brokerLevel(String(7 * day)));
    const [entry] = topicDrift(
      pipelineTopics.bundles,
      {
        ...observed,
        configs: { ...observed.configs, 'max.message.bytes': topicLevel(String(16 * 1024 * 1024)) },
      },
      1,
    );
    expect(entry).toMatchObject({
      setting: 'retention.ms',
      expected: '-1',
      fix: { kind: 'set', value: '-1' },
    });
  });

  it('given a longer retention than the catalogue, leaves it to a person: shortening deletes records', () => {
    const [entry] = topicDrift(pipelineTopics.items, withConfig('retention.ms', topicLevel('-1')), 1);
    expect(entry).toMatchObject({ setting: 'retention.ms', expected: String(30 * day), actual: '-1' });
    expect(entry?.fix).toEqual({ kind: 'manual', reason: expect.stringContaining('older than 30 d') });
  });

  it('given a delete topic the catalogue compacts, never changes the clean-up policy itself', () => {
    const observed = withConfig('cleanup.policy', topicLevel('delete'));
    const drift = topicDrift(pipelineTopics.cases, observed, 1);
    // retention does not apply to a compacted spec, and cases sets a record size limit.
    expect(drift.map((entry) => [entry.setting, entry.fix.kind])).toEqual([
      ['cleanup.policy', 'manual'],
      ['max.message.bytes', 'set'],
    ]);
  });

  it('treats "compact,delete" and "delete,compact" as one policy', () => {
    const spec = { ...pipelineTopics.media, cleanupPolicy: 'compact' as const };
    const observed = withConfig('cleanup.policy', topicLevel('compact'));
    expect(topicDrift(spec, { ...observed, partitions: 3 }, 1)).toEqual([]);
    const both = withConfig('cleanup.policy', topicLevel('delete, compact'));
    expect(topicDrift(spec, { ...both, partitions: 3 }, 1).map((entry) => entry.setting)).toEqual([
      'cleanup.policy',
    ]);
  });

  it('given a record size below the catalogue, sets the catalogue value', () => {
    const observed = withConfig('max.message.bytes', brokerLevel('1048588'));
    const drift = topicDrift(deadLetterSpec(pipelineTopics.bundles), { ...observed, partitions: 1 }, 1);
    expect(drift).toEqual([
      {
        setting: 'max.message.bytes',
        expected: String(16 * 1024 * 1024 + 64 * 1024),
        actual: '1048588',
        fix: { kind: 'set', value: String(16 * 1024 * 1024 + 64 * 1024) },
      },
    ]);
  });

  it('given a record size override where the catalogue keeps the broker default, removes the override', () => {
    const drift = topicDrift(pipelineTopics.items, withConfig('max.message.bytes', topicLevel('2000000')), 1);
    expect(drift).toEqual([
      {
        setting: 'max.message.bytes',
        expected: 'broker default',
        actual: '2000000',
        fix: { kind: 'delete' },
      },
    ]);
  });

  it('with replication factor 3, wants min.insync.replicas 2, and more replicas first where there are too few', () => {
    const replicated = { ...asCreated, replicationFactor: 3 };
    expect(topicDrift(pipelineTopics.items, replicated, 3)).toEqual([
      { setting: 'min.insync.replicas', expected: '2', actual: '1', fix: { kind: 'set', value: '2' } },
    ]);
    const single = topicDrift(pipelineTopics.items, asCreated, 3);
    expect(single.map((entry) => [entry.setting, entry.fix.kind])).toEqual([
      ['replication.factor', 'manual'],
      ['min.insync.replicas', 'manual'],
    ]);
    // Below three replicas the catalogue leaves min.insync.replicas to the broker.
    expect(topicDrift(pipelineTopics.items, replicated, 1)).toEqual([]);
  });

  it('checks retention only on delete topics: a changelog is compacted', () => {
    const changelog: ObservedTopic = {
      ...asCreated,
      configs: {
        ...asCreated.configs,
        'cleanup.policy': topicLevel('compact'),
        'retention.ms': brokerLevel(String(7 * day)),
      },
    };
    expect(topicDrift(stateTopics.scorerItems, changelog, 1)).toEqual([]);
  });
});
