import { TriageError } from '@triage/errors';
import type { RetryPolicy } from '../topics/topic-spec.ts';

export type FailureDecision = { action: 'retry'; delayMs: number } | { action: 'dead-letter' };

export interface FailurePolicy {
  /** The input topic's policy: backoff, and attempts at a non-retryable TriageError. */
  retry: RetryPolicy;
  /** Attempts at an error that is not a TriageError (the runner's `unknownErrorAttempts`). */
  unknownErrorAttempts: number;
}

/**
 * What to do after attempt `attempt` (1-based) at a record failed with `error`, as thrown.
 * - A retryable TriageError (a dependency that may come back) is retried for as long as it
 *   takes, with capped exponential backoff: a down dependency must never become a flood of
 *   dead letters.
 * - A non-retryable TriageError (a record that does not decode, an invalid record) is retried
 *   up to the topic's `maxAttempts` (1 for every topic today: dead-lettered at once).
 * - Anything else is a failure nobody classified (EIO, EMFILE, ECONNRESET from Node, a defect):
 *   it may well be transient, so it is retried `unknownErrorAttempts` times, then dead-lettered.
 */
export function decideOnFailure(error: unknown, attempt: number, policy: FailurePolicy): FailureDecision {
  const attempts = error instanceof TriageError ? policy.retry.maxAttempts : policy.unknownErrorAttempts;
  if ((error instanceof TriageError && error.retryable) || attempt < attempts) {
    return { action: 'retry', delayMs: backoffDelay(attempt, policy.retry) };
  }
  return { action: 'dead-letter' };
}

export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 20);
  return Math.min(policy.initialDelayMs * 2 ** exponent, policy.maxDelayMs);
}

/**
 * What the runner logs when its stream fails and it reopens: the whole error (with its stack) on
 * the first failure and every tenth; in between its code and message only, so that a dependency
 * down for minutes does not flood the log with stacks.
 */
export function reopenLogDetail(
  attempt: number,
  failure: TriageError,
): { err: TriageError } | { code: string; reason: string } {
  return attempt === 1 || attempt % 10 === 0
    ? { err: failure }
    : { code: failure.code, reason: failure.message };
}
