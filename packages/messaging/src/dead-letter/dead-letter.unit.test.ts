import { TriageError } from '@triage/errors';
import { createCodec } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import type { InboundRecord } from '../consumer/inbound-record.ts';
import { deadLetterRecord } from './dead-letter.ts';

const codec = createCodec();

const record: InboundRecord = {
  topic: 't1.reports.v1',
  partition: 3,
  offset: 42n,
  key: 'partner-a:R-1',
  value: Buffer.from('not avro'),
  headers: { trace: 'abc' },
  rawHeaders: [['trace', Buffer.from('abc')]],
  timestamp: 1_700_000_000_000n,
};

describe('deadLetterRecord', () => {
  it('given a failed record, when dead-lettered, then it goes to <topic>.dlq under its key with the code and stage as headers and the Avro letter as value', () => {
    const error = new TriageError('TRIAGE_SCHEMA_DECODE_FAILED', 'bad bytes');
    const letter = deadLetterRecord({
      record,
      error,
      stage: 'scorer',
      attempt: 2,
      now: 1_800_000_000_000,
      codec,
    });
    expect(letter).toMatchObject({
      topic: 't1.reports.v1.dlq',
      key: 'partner-a:R-1',
      headers: { 'triage-error-code': 'TRIAGE_SCHEMA_DECODE_FAILED', 'triage-stage': 'scorer' },
    });
    expect(codec.decode('DeadLetter', letter.value!)).toEqual({
      originalTopic: 't1.reports.v1',
      partition: 3,
      offset: 42,
      timestamp: 1_700_000_000_000,
      key: Buffer.from('partner-a:R-1'),
      value: Buffer.from('not avro'),
      headers: [{ key: 'trace', value: Buffer.from('abc') }],
      errorCode: 'TRIAGE_SCHEMA_DECODE_FAILED',
      errorMessage: 'bad bytes',
      stage: 'scorer',
      attempt: 2,
      failedAt: 1_800_000_000_000,
    });
  });

  it('given a record without a key, when dead-lettered, then the letter has an empty key and a null original key', () => {
    const error = new TriageError('TRIAGE_INTERNAL', 'defect');
    const letter = deadLetterRecord({
      record: { ...record, key: null },
      error,
      stage: 's',
      attempt: 1,
      now: 0,
      codec,
    });
    expect(letter.key).toBe('');
    expect(codec.decode('DeadLetter', letter.value!).key).toBeNull();
  });
});
