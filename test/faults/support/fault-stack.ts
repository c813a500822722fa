// The fault tier's own servers: a three-node Kafka cluster (replication 3, min in-sync 2) and an
// Elasticsearch of its own, on ports no other test uses, so killing a broker or stopping
// Elasticsearch never touches the shared stack. Started before the tier, stopped after it.
import { Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import { fetchKafkaMetadata, stackDown, stackUp, startKafkaNode, stopKafkaNode } from '@triage/local-stack';
import {
  baseClientOptions,
  deployedTopic,
  type KafkaConnection,
  topicOffsets,
  topicPartitions,
} from '@triage/messaging';

/** First broker port (nodes on +0, +2, +4) and the Elasticsearch HTTP port; env moves them. */
const faultPorts = {
  kafka: Number(process.env.TRIAGE_FAULT_KAFKA_PORT || 29092),
  elasticsearch: Number(process.env.TRIAGE_FAULT_ES_PORT || 29200),
} as const;

// Ten minutes, not deploy/local's two: under a load average of 30 one Elasticsearch start took
// over two (50 s of it in "Bootstrapping Entitlements"), and the scenario failed on the wait.
const readyTimeoutMs = 600_000;
const cluster = { kafkaPort: faultPorts.kafka, kafkaNodes: 3 as const, readyTimeoutMs };

export const faultBrokers = [0, 2, 4].map((offset) => `127.0.0.1:${faultPorts.kafka + offset}`);
export const faultElasticsearchUrl = `http://127.0.0.1:${faultPorts.elasticsearch}`;

/** Starts (or reuses) the cluster and Elasticsearch; returns how long they took. */
export async function faultStackUp(): Promise<{ totalMs: number }> {
  const up = await stackUp({ ...cluster, elasticsearchPort: faultPorts.elasticsearch });
  return { totalMs: up.totalMs };
}

/** Stops both (data stays under .stack/run for a look afterwards). */
export async function faultStackDown(): Promise<void> {
  await stackDown({ kafkaPort: faultPorts.kafka, elasticsearchPort: faultPorts.elasticsearch });
}

/** SIGKILL of one node (1-based); the other two keep the quorum and min in-sync replicas. */
export async function killBroker(nodeId: number): Promise<void> {
  await stopKafkaNode(nodeId, { ...cluster, kill: true });
}

/** Starts a killed node and waits until the cluster serves with it again. */
export async function startBroker(nodeId: number): Promise<void> {
  await startKafkaNode(nodeId, cluster);
}

/** The node (node ids are 1-based, as `node.id`) leading partition `partition` of a deployed topic. */
export async function leaderOf(topic: string, partition: number): Promise<number> {
  for (const offset of [0, 2, 4]) {
    const metadata = await fetchKafkaMetadata({ host: '127.0.0.1', port: faultPorts.kafka + offset }, [
      topic,
    ]).catch(() => undefined);
    const leader = metadata?.topics
      .find((entry) => entry.name === topic)
      ?.partitions.find((entry) => entry.partition === partition)?.leader;
    if (leader !== undefined && leader > 0) return leader;
  }
  throw new Error(`no leader for ${topic}-${partition}`);
}

/** SIGTERM to Elasticsearch (its data stays); `startElasticsearch` brings it back. */
export async function stopElasticsearch(): Promise<void> {
  await stackDown({ kafka: false, elasticsearchPort: faultPorts.elasticsearch });
}

export async function startElasticsearch(): Promise<void> {
  await stackUp({ kafka: false, elasticsearchPort: faultPorts.elasticsearch, readyTimeoutMs });
}

/** Records written to a topic so far (end offsets summed): progress of the stage writing it. */
export async function topicRecords(connection: KafkaConnection, name: string): Promise<number> {
  const admin = new Admin(baseClientOptions(connection, 'fault-progress'));
  try {
    const topic = deployedTopic(connection, name);
    const partitions = await topicPartitions(admin, topic);
    const ends = await topicOffsets(admin, topic, partitions, ListOffsetTimestamps.LATEST);
    return Number([...ends.values()].reduce((sum, end) => sum + end, 0n));
  } finally {
    await admin.close();
  }
}
