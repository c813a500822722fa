import type { TopicSpec } from './topic-spec.ts';

/** One setting of an existing topic as the cluster reports it (describeConfigs). */
export interface ObservedConfig {
  value: string | null;
  /** True when the topic overrides the broker's default (a topic-level config). */
  override: boolean;
}

/** An existing topic as the cluster reports it (metadata and describeConfigs). */
export interface ObservedTopic {
  partitions: number;
  /** Replicas per partition, the smallest over the topic's partitions. */
  replicationFactor: number;
  configs: Readonly<Record<string, ObservedConfig>>;
}

/** What bootstrap may do about one difference. */
export type DriftFix =
  /** Set the topic-level config to `value` (incrementalAlterConfigs SET). */
  | { kind: 'set'; value: string }
  /** Remove the topic's override, back to the broker's default (incrementalAlterConfigs DELETE). */
  | { kind: 'delete' }
  /** Never done automatically: `reason` says why and what to do instead. */
  | { kind: 'manual'; reason: string };

/** One setting of a topic that differs from the catalogue. */
export interface DriftEntry {
  setting:
    | 'partitions'
    | 'replication.factor'
    | 'cleanup.policy'
    | 'retention.ms'
    | 'max.message.bytes'
    | 'min.insync.replicas';
  expected: string;
  actual: string;
  fix: DriftFix;
}

/** The topic configs the drift check reads (describeConfigs keys). */
export const driftConfigKeys = [
  'cleanup.policy',
  'retention.ms',
  'max.message.bytes',
  'min.insync.replicas',
] as const;

const brokerDefault = 'broker default';

/**
 * How an existing topic differs from its catalogue spec, and for each difference whether bootstrap
 * may fix it. Only changes that lose no record are fixable: raising retention, `max.message.bytes`
 * (records already written stay readable), `min.insync.replicas` on a topic with the replicas for
 * it. Partition counts, shorter retention, the clean-up policy and replicas are reported for a
 * person to migrate, with the reason.
 */
export function topicDrift(
  spec: TopicSpec,
  observed: ObservedTopic,
  replicationFactor: number,
): DriftEntry[] {
  const entries: DriftEntry[] = [];
  if (observed.partitions !== spec.partitions) {
    entries.push({
      setting: 'partitions',
      expected: String(spec.partitions),
      actual: String(observed.partitions),
      fix: { kind: 'manual', reason: partitionReason(spec, observed.partitions) },
    });
  }
  if (observed.replicationFactor < replicationFactor) {
    entries.push({
      setting: 'replication.factor',
      expected: String(replicationFactor),
      actual: String(observed.replicationFactor),
      fix: {
        kind: 'manual',
        reason:
          'more replicas is a partition reassignment (kafka-reassign-partitions.sh), not a topic config',
      },
    });
  }
  const cleanup = configValue(observed, 'cleanup.policy');
  if (cleanup !== null && policySet(cleanup) !== policySet(spec.cleanupPolicy)) {
    entries.push({
      setting: 'cleanup.policy',
      expected: spec.cleanupPolicy,
      actual: cleanup,
      fix: {
        kind: 'manual',
        reason:
          spec.cleanupPolicy === 'compact'
            ? 'compaction keeps only the latest record per key and deletes the rest; change it by hand once those records may go'
            : 'deletion drops records past retention.ms, so rows kept by compaction would go; change it by hand once they may',
      },
    });
  }
  const retentionDrift = spec.cleanupPolicy === 'delete' ? retentionEntry(spec, observed) : undefined;
  if (retentionDrift) entries.push(retentionDrift);
  const maxBytes = maxMessageBytesEntry(spec, observed);
  if (maxBytes) entries.push(maxBytes);
  const minIsr = minInsyncEntry(observed, replicationFactor);
  if (minIsr) entries.push(minIsr);
  return entries;
}

function partitionReason(spec: TopicSpec, actual: number): string {
  const move =
    actual < spec.partitions
      ? `adding partitions moves keys (the partitioner hashes ${spec.key} modulo the count), so records of one key would sit on two partitions and co-partitioning with the other topics of that key and the state changelogs breaks`
      : 'Kafka cannot remove partitions';
  return `${move}; migrate by hand: a new .vN topic with ${spec.partitions} partitions, replayed into`;
}

function configValue(observed: ObservedTopic, name: string): string | null {
  return observed.configs[name]?.value ?? null;
}

/** `compact,delete` and `delete,compact` are the same policy. */
function policySet(value: string): string {
  return value
    .split(',')
    .map((part) => part.trim())
    .sort()
    .join(',');
}

/** -1 (keep forever) as the longest retention. */
function retentionRank(ms: number): number {
  return ms < 0 ? Number.POSITIVE_INFINITY : ms;
}

function retentionEntry(spec: TopicSpec, observed: ObservedTopic): DriftEntry | undefined {
  const actual = configValue(observed, 'retention.ms');
  if (actual === null || Number(actual) === spec.retentionMs) return undefined;
  const expected = String(spec.retentionMs);
  const longer = retentionRank(spec.retentionMs) > retentionRank(Number(actual));
  return {
    setting: 'retention.ms',
    expected,
    actual,
    fix: longer
      ? { kind: 'set', value: expected }
      : {
          kind: 'manual',
          reason: `shorter retention deletes every record older than ${describeRetention(spec.retentionMs)} at once; set it by hand if that is intended`,
        },
  };
}

function maxMessageBytesEntry(spec: TopicSpec, observed: ObservedTopic): DriftEntry | undefined {
  const config = observed.configs['max.message.bytes'];
  if (config === undefined) return undefined;
  if (spec.maxMessageBytes === undefined) {
    // The catalogue leaves the broker's default: only a topic override is drift.
    if (!config.override) return undefined;
    return {
      setting: 'max.message.bytes',
      expected: brokerDefault,
      actual: config.value ?? '',
      fix: { kind: 'delete' },
    };
  }
  const expected = String(spec.maxMessageBytes);
  if (config.value === expected) return undefined;
  return {
    setting: 'max.message.bytes',
    expected,
    actual: config.value ?? '',
    fix: { kind: 'set', value: expected },
  };
}

function minInsyncEntry(observed: ObservedTopic, replicationFactor: number): DriftEntry | undefined {
  // Below three replicas the catalogue leaves the broker's default (topicConfigs).
  if (replicationFactor < 3) return undefined;
  const actual = configValue(observed, 'min.insync.replicas');
  if (actual === '2') return undefined;
  return {
    setting: 'min.insync.replicas',
    expected: '2',
    actual: actual ?? '',
    fix:
      observed.replicationFactor >= 3
        ? { kind: 'set', value: '2' }
        : {
            kind: 'manual',
            reason: `with ${observed.replicationFactor} replica(s), min.insync.replicas 2 would refuse every acks=all write: add replicas first`,
          },
  };
}

function describeRetention(ms: number): string {
  if (ms < 0) return 'forever';
  const days = ms / 86_400_000;
  return Number.isInteger(days) ? `${days} d` : `${ms} ms`;
}
