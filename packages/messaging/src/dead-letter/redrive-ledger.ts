import type { Codec, DeadLetterRedrive } from '@triage/schemas';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import type { OutboundRecord } from '../producer/record-producer.ts';
import { PartitionReader } from '../state/partition-reader.ts';
import { opsTopics } from '../topics/pipeline-topics.ts';
import { existingTopics } from './read-dead-letters.ts';

/** The ledger's deployed topic name. */
export function redriveLedgerTopic(connection: KafkaConnection): string {
  return deployedTopic(connection, opsTopics.redriveLedger.name);
}

/** The ledger entry of a dead letter, keyed by its id (compaction keeps one per dead letter). */
export function redriveLedgerRecord(
  connection: KafkaConnection,
  codec: Codec,
  entry: DeadLetterRedrive,
): OutboundRecord {
  return {
    topic: redriveLedgerTopic(connection),
    key: entry.deadLetterId,
    value: codec.encode('DeadLetterRedrive', entry),
  };
}

/** Every ledger entry by dead-letter id, read to the topic's current end (empty when it does not exist). */
export async function readRedriveLedger(
  connection: KafkaConnection,
  codec: Codec,
): Promise<Map<string, DeadLetterRedrive>> {
  const ledger = new Map<string, DeadLetterRedrive>();
  if (!(await existingTopics(connection)).has(redriveLedgerTopic(connection))) return ledger;
  const reader = new PartitionReader({
    connection,
    topic: redriveLedgerTopic(connection),
    name: 'dlq-ledger',
  });
  try {
    await reader.readToEnd((record) => {
      if (record.value === null) ledger.delete(record.key);
      else ledger.set(record.key, codec.decode('DeadLetterRedrive', record.value));
    });
  } finally {
    await reader.close();
  }
  return ledger;
}
