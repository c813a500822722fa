import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { backoffDelay, decideOnFailure, type FailurePolicy, reopenLogDetail } from './failure-policy.ts';

const policy: FailurePolicy = {
  retry: { maxAttempts: 1, initialDelayMs: 200, maxDelayMs: 1_000 },
  unknownErrorAttempts: 3,
};

/** A Node system error as fs and net throw them: not a TriageError. */
function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: i/o failed`), { code });
}

describe('decideOnFailure', () => {
  it('given a retryable TriageError, when any attempt fails, then it is retried with backoff, never dead-lettered', () => {
    const down = new TriageError('TRIAGE_DEPENDENCY_TIMEOUT', 'down');
    expect(decideOnFailure(down, 1, policy)).toEqual({ action: 'retry', delayMs: 200 });
    expect(decideOnFailure(down, 500, policy)).toEqual({ action: 'retry', delayMs: 1_000 });
  });

  it('given a decode error, when its first attempt fails, then it is dead-lettered at once', () => {
    const undecodable = new TriageError('TRIAGE_SCHEMA_DECODE_FAILED', 'not avro');
    expect(decideOnFailure(undecodable, 1, policy)).toEqual({ action: 'dead-letter' });
  });

  it('given a topic that allows two attempts at a non-retryable error, when the first fails, then it is retried once', () => {
    const invalid = new TriageError('TRIAGE_RECORD_INVALID', 'bad');
    const twice = { ...policy, retry: { ...policy.retry, maxAttempts: 2 } };
    expect(decideOnFailure(invalid, 1, twice)).toEqual({ action: 'retry', delayMs: 200 });
    expect(decideOnFailure(invalid, 2, twice)).toEqual({ action: 'dead-letter' });
  });

  it('given an error that is not a TriageError, when it fails, then it is retried unknownErrorAttempts times with backoff, then dead-lettered', () => {
    for (const error of [
      systemError('EIO'),
      systemError('EMFILE'),
      systemError('ECONNRESET'),
      'thrown text',
    ]) {
      expect(decideOnFailure(error, 1, policy)).toEqual({ action: 'retry', delayMs: 200 });
      expect(decideOnFailure(error, 2, policy)).toEqual({ action: 'retry', delayMs: 400 });
      expect(decideOnFailure(error, 3, policy)).toEqual({ action: 'dead-letter' });
    }
  });

  it('given unknownErrorAttempts 1, when an unknown error fails, then it is dead-lettered at once', () => {
    expect(decideOnFailure(systemError('EIO'), 1, { ...policy, unknownErrorAttempts: 1 })).toEqual({
      action: 'dead-letter',
    });
  });
});

describe('backoffDelay', () => {
  it('given growing attempts, when delayed, then the wait doubles up to the cap', () => {
    expect([1, 2, 3, 4, 40].map((attempt) => backoffDelay(attempt, policy.retry))).toEqual([
      200, 400, 800, 1_000, 1_000,
    ]);
  });
});

describe('reopenLogDetail', () => {
  const failure = new TriageError(
    'TRIAGE_ELASTICSEARCH_UNAVAILABLE',
    'bulk write: Elasticsearch unreachable',
    {
      retryable: true,
    },
  );

  it('given the first failure and every tenth, then the whole error is logged', () => {
    for (const attempt of [1, 10, 20]) expect(reopenLogDetail(attempt, failure)).toEqual({ err: failure });
  });

  it('given the attempts in between, then only its code and message, no stack', () => {
    for (const attempt of [2, 9, 11])
      expect(reopenLogDetail(attempt, failure)).toEqual({
        code: 'TRIAGE_ELASTICSEARCH_UNAVAILABLE',
        reason: 'bulk write: Elasticsearch unreachable',
      });
  });
});
