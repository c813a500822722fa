import type { TriageError } from '@triage/errors';
import type { InboundRecord } from '../consumer/inbound-record.ts';

/** What a dead letter records: the original bytes and where they came from, and why they failed. */
export interface DeadLetterFacts {
  originalTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  errorCode: string;
  errorMessage: string;
  stage: string;
  attempt: number;
  failedAt: number;
}

export function deadLetterFor(
  record: InboundRecord,
  error: TriageError,
  stage: string,
  attempt: number,
  now: number,
): DeadLetterFacts {
  return {
    originalTopic: record.topic,
    partition: record.partition,
    offset: record.offset.toString(),
    key: record.key,
    value: record.value,
    headers: record.headers,
    errorCode: error.code,
    errorMessage: error.message,
    stage,
    attempt,
    failedAt: now,
  };
}
