import type { TriageError } from '@triage/errors';
import type { Codec, DeadLetter } from '@triage/schemas';
import type { InboundRecord } from '../consumer/inbound-record.ts';
import type { OutboundRecord } from '../producer/record-producer.ts';
import { deadLetterTopicName } from '../topics/topic-spec.ts';

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

/** The headers every dead letter carries, so tools can count and filter without decoding. */
export const deadLetterHeaders = { errorCode: 'triage-error-code', stage: 'triage-stage' } as const;

export interface DeadLetterRecordOptions {
  record: InboundRecord;
  error: TriageError;
  stage: string;
  attempt: number;
  now: number;
  codec: Codec;
}

/**
 * The record that parks a failed input on `<topic>.dlq`: same key, the Avro DeadLetter, and the
 * code and stage as headers so tools can filter without decoding. The one builder the runner
 * uses for every dead letter (a handler's failure, a flush's failed records, a refused output).
 */
export function deadLetterRecord(options: DeadLetterRecordOptions): OutboundRecord {
  const { record, error, stage } = options;
  return {
    topic: deadLetterTopicName(record.topic),
    key: record.key ?? '',
    value: options.codec.encode(
      'DeadLetter',
      deadLetterFor(record, error, stage, options.attempt, options.now),
    ),
    headers: { [deadLetterHeaders.errorCode]: error.code, [deadLetterHeaders.stage]: stage },
  };
}
