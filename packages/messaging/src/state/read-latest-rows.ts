import { existingTopics } from '../dead-letter/read-dead-letters.ts';
import type { KafkaConnection } from '../kafka/connection.ts';
import { PartitionReader } from './partition-reader.ts';

/**
 * The latest row per key of a compacted topic, read once to its current end (a tombstone removes
 * the key); empty when the topic does not exist. For a command's one look at a ledger; a stage
 * that follows one uses a `GlobalTable`.
 */
export async function readLatestRows<V>(options: {
  connection: KafkaConnection;
  /** Deployed topic name. */
  topic: string;
  /** Names the reader in logs. */
  name: string;
  decode: (bytes: Buffer) => V;
}): Promise<Map<string, V>> {
  const { connection, topic, name, decode } = options;
  const rows = new Map<string, V>();
  if (!(await existingTopics(connection)).has(topic)) return rows;
  const reader = new PartitionReader({ connection, topic, name });
  try {
    await reader.readToEnd((record) => {
      if (record.value === null) rows.delete(record.key);
      else rows.set(record.key, decode(record.value));
    });
  } finally {
    await reader.close();
  }
  return rows;
}
