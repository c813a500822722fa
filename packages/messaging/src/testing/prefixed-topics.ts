import { Admin } from '@platformatic/kafka';
import { baseClientOptions, type KafkaConnection } from '../kafka/connection.ts';

/**
 * Deletes every topic under `connection.topicPrefix`: the clean-up of a test or benchmark that
 * made its own. Refuses an empty prefix, which would mean every topic on the broker.
 */
export async function deletePrefixedTopics(connection: KafkaConnection, clientName: string): Promise<void> {
  const prefix = connection.topicPrefix;
  if (!prefix) throw new Error('refusing to delete topics without a prefix');
  const admin = new Admin(baseClientOptions(connection, clientName));
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.close();
  }
}
