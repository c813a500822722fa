import type { Codec, DeadLetterRedrive } from '@triage/schemas';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import type { OutboundRecord } from '../producer/record-producer.ts';
import { readLatestRows } from '../state/read-latest-rows.ts';
import { opsTopics } from '../topics/pipeline-topics.ts';

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
export function readRedriveLedger(
  connection: KafkaConnection,
  codec: Codec,
): Promise<Map<string, DeadLetterRedrive>> {
  return readLatestRows({
    connection,
    topic: redriveLedgerTopic(connection),
    name: 'dlq-ledger',
    decode: (bytes) => codec.decode('DeadLetterRedrive', bytes),
  });
}
