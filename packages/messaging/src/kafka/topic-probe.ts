import { Admin } from '@platformatic/kafka';
import { type KafkaConnection, probeClientOptions } from './connection.ts';

/** A readiness check of one topic, with its client to close at shutdown. */
export interface TopicProbe {
  /** True when a broker answers metadata for the topic and it has partitions; false (never throws) otherwise. */
  probe(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Asks a broker for a topic's metadata, with short timeouts and one retry: a dead broker must show
 * within one probe, not after the client's minutes of retries. For `/readyz` routes.
 */
export function topicProbe(connection: KafkaConnection, topic: string, timeoutMs: number): TopicProbe {
  const admin = new Admin(probeClientOptions(connection, 'ready-probe', timeoutMs));
  return {
    async probe() {
      try {
        const metadata = await admin.metadata({ topics: [topic] });
        return (metadata.topics.get(topic)?.partitionsCount ?? 0) > 0;
      } catch {
        return false;
      }
    },
    close: () => admin.close(),
  };
}
