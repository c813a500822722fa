import type { TriageError } from '@triage/errors';
import type { DeadLetter } from '@triage/schemas';
import type { InboundRecord } from '../consumer/inbound-record.ts';

/** The dead letter of a record: its original bytes and origin, and why and where it failed. */
export function deadLetterFor(
  record: InboundRecord,
  error: TriageError,
  stage: string,
  attempt: number,
  now: number,
): DeadLetter {
  return {
    originalTopic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    key: record.key === null ? null : Buffer.from(record.key, 'utf8'),
    value: record.value,
    headers: record.rawHeaders.map(([key, value]) => ({ key, value })),
    errorCode: error.code,
    errorMessage: error.message,
    stage,
    attempt,
    failedAt: now,
  };
}
