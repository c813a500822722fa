import {
  deployedTopic,
  type KafkaConnection,
  PartitionReader,
  pipelineTopics,
  type TableRecord,
} from '@triage/messaging';
import type { Codec } from '@triage/schemas';
import { type AuditEntry, auditEntryOf } from './audit-entry.ts';
import { AuditTrailVerifier, type AuditVerification } from './verify-trail.ts';

export interface VerifyAuditTopicOptions {
  connection: KafkaConnection;
  codec: Codec;
  /** Sees every record with its entry as it is verified (a copy's head watch, a test's event list). */
  onRecord?: (record: TableRecord, entry: AuditEntry) => void;
}

/** Reads the deployment's audit topic from the beginning to its end and verifies every chain on it. */
export async function verifyAuditTopic(options: VerifyAuditTopicOptions): Promise<AuditVerification> {
  const { connection, codec } = options;
  const verifier = new AuditTrailVerifier();
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, pipelineTopics.audit.name),
    name: 'audit-verify',
  });
  try {
    await reader.readToEnd((record) => {
      const entry = auditEntryOf(codec, record);
      verifier.add(entry);
      options.onRecord?.(record, entry);
    });
  } finally {
    await reader.close();
  }
  return verifier.finish();
}
