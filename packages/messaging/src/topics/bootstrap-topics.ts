import {
  Admin,
  ConfigResourceTypes,
  ConfigSources,
  IncrementalAlterConfigOperationTypes,
} from '@platformatic/kafka';
import { baseClientOptions, deployedTopic, type KafkaConnection, kafkaError } from '../kafka/connection.ts';
import { type DriftEntry, driftConfigKeys, type ObservedTopic, topicDrift } from './topic-drift.ts';
import { deadLetterSpec, type TopicSpec } from './topic-spec.ts';

export interface BootstrapOptions {
  connection: KafkaConnection;
  topics: readonly TopicSpec[];
  /** 1 on a single local broker; 3 in production. */
  replicationFactor: number;
  /** Fix the drift of existing topics that loses no record (topic configs); default false: report only. */
  apply?: boolean;
}

/** How one existing topic differs from the catalogue (`topicDrift`). */
export interface TopicDrift {
  topic: string;
  entries: DriftEntry[];
  /** True when the entries whose fix is `set` or `delete` were applied (`apply`); `manual` ones never are. */
  applied: boolean;
}

export interface BootstrapResult {
  created: string[];
  existing: string[];
  /** Existing topics that differ from the catalogue: partitions, replicas, clean-up, retention, record size. */
  drift: TopicDrift[];
}

/** Every topic of `topics` plus the dead-letter topic of those that have one. */
export function withDeadLetterTopics(topics: readonly TopicSpec[]): TopicSpec[] {
  return topics.flatMap((spec) => (spec.deadLetter ? [spec, deadLetterSpec(spec)] : [spec]));
}

export function topicConfigs(spec: TopicSpec, replicationFactor: number): { name: string; value: string }[] {
  const configs: { name: string; value: string }[] = [{ name: 'cleanup.policy', value: spec.cleanupPolicy }];
  if (spec.cleanupPolicy === 'delete')
    configs.push({ name: 'retention.ms', value: String(spec.retentionMs) });
  // With RF 3, acks=all must reach two replicas before a write counts (docs/architecture.md, Scale).
  if (replicationFactor >= 3) configs.push({ name: 'min.insync.replicas', value: '2' });
  if (spec.maxMessageBytes !== undefined)
    configs.push({ name: 'max.message.bytes', value: String(spec.maxMessageBytes) });
  return configs;
}

/**
 * Creates missing topics (and their dead-letter topics) with the catalogue's settings.
 * Idempotent: existing topics are left alone and reported with their drift from the catalogue;
 * with `apply`, the drift that loses no record is fixed (never a partition count: see `topicDrift`).
 */
export async function bootstrapTopics(options: BootstrapOptions): Promise<BootstrapResult> {
  const admin = new Admin(baseClientOptions(options.connection, 'bootstrap'));
  const result: BootstrapResult = { created: [], existing: [], drift: [] };
  try {
    const specs = withDeadLetterTopics(options.topics);
    const existing = new Set(await admin.listTopics({ includeInternals: false }));
    const missing = specs.filter((spec) => !existing.has(deployedTopic(options.connection, spec.name)));
    // Configs are per request, not per topic, so each topic is created on its own.
    for (const spec of missing) {
      const topic = deployedTopic(options.connection, spec.name);
      await admin.createTopics({
        topics: [topic],
        partitions: spec.partitions,
        replicas: options.replicationFactor,
        configs: topicConfigs(spec, options.replicationFactor),
      });
      result.created.push(topic);
    }
    const present = specs.filter((spec) => existing.has(deployedTopic(options.connection, spec.name)));
    if (present.length > 0) {
      const observed = await observeTopics(
        admin,
        present.map((spec) => deployedTopic(options.connection, spec.name)),
      );
      for (const spec of present) {
        const topic = deployedTopic(options.connection, spec.name);
        result.existing.push(topic);
        const seen = observed.get(topic);
        const entries = seen ? topicDrift(spec, seen, options.replicationFactor) : [];
        if (entries.length > 0) result.drift.push({ topic, entries, applied: false });
      }
      if (options.apply) await applyDrift(admin, result.drift);
    }
    return result;
  } catch (error) {
    throw kafkaError(error, 'bootstrap topics');
  } finally {
    await admin.close();
  }
}

/** Partitions, replicas and the drift-checked configs of existing topics (deployed names). */
async function observeTopics(admin: Admin, topics: readonly string[]): Promise<Map<string, ObservedTopic>> {
  const [metadata, described] = await Promise.all([
    admin.metadata({ topics: [...topics] }),
    admin.describeConfigs({
      resources: topics.map((name) => ({
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: name,
        configurationKeys: [...driftConfigKeys],
      })),
    }),
  ]);
  const configsOf = new Map(described.map((entry) => [entry.resourceName, entry.configs]));
  const observed = new Map<string, ObservedTopic>();
  for (const topic of topics) {
    const partitions = metadata.topics.get(topic)?.partitions ?? [];
    const configs = Object.fromEntries(
      (configsOf.get(topic) ?? []).map((config) => [
        config.name,
        { value: config.value ?? null, override: config.configSource === ConfigSources.DYNAMIC_TOPIC_CONFIG },
      ]),
    );
    observed.set(topic, {
      partitions: metadata.topics.get(topic)?.partitionsCount ?? 0,
      replicationFactor: Math.min(...partitions.map((partition) => partition.replicas.length)),
      configs,
    });
  }
  return observed;
}

/** Sets (or removes) the fixable configs of every drifted topic in one request. */
async function applyDrift(admin: Admin, drift: TopicDrift[]): Promise<void> {
  type Resources = Parameters<Admin['incrementalAlterConfigs']>[0]['resources'];
  const resources: Resources = [];
  for (const topic of drift) {
    const configs: Resources[number]['configs'] = [];
    for (const entry of topic.entries) {
      if (entry.fix.kind === 'set')
        configs.push({
          name: entry.setting,
          configOperation: IncrementalAlterConfigOperationTypes.SET,
          value: entry.fix.value,
        });
      else if (entry.fix.kind === 'delete')
        configs.push({ name: entry.setting, configOperation: IncrementalAlterConfigOperationTypes.DELETE });
    }
    if (configs.length > 0)
      resources.push({ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic.topic, configs });
  }
  if (resources.length === 0) return;
  await admin.incrementalAlterConfigs({ resources });
  for (const topic of drift) topic.applied = topic.entries.some((entry) => entry.fix.kind !== 'manual');
}
