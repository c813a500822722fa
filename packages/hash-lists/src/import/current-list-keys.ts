import { TriageError } from '@triage/errors';
import { type KafkaConnection, PartitionReader } from '@triage/messaging';
import { compactTopicKey, expandKey } from '../compact-key.ts';
import { knownHashKey } from '../known-hash.ts';

/**
 * The keys of one list that are live on the compacted hashsets topic: every partition is read
 * from the beginning to the end offsets seen at the start, keeping keys that start with
 * `<list>:` whose last record is not a tombstone. Values are not decoded. Memory: one compact
 * key per live entry of this list (other lists' records are only looked at). The set holds
 * compact keys (see compact-key.ts); `topicKeyOf` turns one back into the topic key.
 */
export async function currentListKeys(
  connection: KafkaConnection,
  topic: string,
  list: string,
  onRecord?: (recordsRead: number, live: number) => void,
): Promise<Set<string>> {
  const reader = new PartitionReader({ connection, topic, name: `hash-list-${list}` });
  const prefix = `${list}:`;
  const keys = new Set<string>();
  let read = 0;
  try {
    await reader.readToEnd((record) => {
      read++;
      if (record.key.startsWith(prefix)) {
        // A key of this list that names no hash type is kept whole, so it can be removed too.
        const key = compactTopicKey(list, record.key) ?? `!${record.key}`;
        if (record.value === null) keys.delete(key);
        else keys.add(key);
      }
      if (onRecord && read % 10_000 === 0) onRecord(read, keys.size);
    });
  } catch (error) {
    throw withTopicHint(error, topic);
  } finally {
    await reader.close();
  }
  return keys;
}

/** The hashsets topic key of a key from `currentListKeys`. */
export function topicKeyOf(list: string, key: string): string {
  if (key.startsWith('!')) return key.slice(1);
  const { hashType, value } = expandKey(key);
  return knownHashKey(list, hashType, value);
}

/** Makes sure the topic exists (a produce would otherwise auto-create it without compaction). */
export async function assertTopicExists(connection: KafkaConnection, topic: string): Promise<void> {
  const reader = new PartitionReader({ connection, topic, name: 'hash-list-check' });
  try {
    await reader.endOffsets();
  } catch (error) {
    throw withTopicHint(error, topic);
  } finally {
    await reader.close();
  }
}

function withTopicHint(error: unknown, topic: string): unknown {
  if (error instanceof TriageError && /unknown topic/i.test(error.message)) {
    return new TriageError(
      'TRIAGE_KAFKA_UNAVAILABLE',
      `Topic ${topic} does not exist: create the catalogue topics first (pnpm triage topics bootstrap)`,
      { cause: error, retryable: false, details: { topic } },
    );
  }
  return error;
}
