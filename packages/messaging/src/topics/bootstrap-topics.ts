import { Admin } from '@platformatic/kafka';
import { baseClientOptions, deployedTopic, type KafkaConnection, kafkaError } from '../kafka/connection.ts';
import { deadLetterSpec, type TopicSpec } from './topic-spec.ts';

export interface BootstrapOptions {
  connection: KafkaConnection;
  topics: readonly TopicSpec[];
  /** 1 on a single local broker; 3 in production. */
  replicationFactor: number;
}

export interface BootstrapResult {
  created: string[];
  existing: string[];
  /** Existing topics whose partition count differs from the catalogue: co-partitioning is broken. */
  mismatched: { topic: string; expected: number; actual: number }[];
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
 * Idempotent: existing topics are left alone and reported, with any partition mismatch.
 */
export async function bootstrapTopics(options: BootstrapOptions): Promise<BootstrapResult> {
  const admin = new Admin(baseClientOptions(options.connection, 'bootstrap'));
  const result: BootstrapResult = { created: [], existing: [], mismatched: [] };
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
      const names = present.map((spec) => deployedTopic(options.connection, spec.name));
      const metadata = await admin.metadata({ topics: names });
      for (const spec of present) {
        const topic = deployedTopic(options.connection, spec.name);
        const actual = metadata.topics.get(topic)?.partitionsCount ?? 0;
        result.existing.push(topic);
        if (actual !== spec.partitions) result.mismatched.push({ topic, expected: spec.partitions, actual });
      }
    }
    return result;
  } catch (error) {
    throw kafkaError(error, 'bootstrap topics');
  } finally {
    await admin.close();
  }
}
