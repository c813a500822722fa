import type { TriageError } from '@triage/errors';
import type { RetryPolicy } from '../topics/topic-spec.ts';

export type FailureDecision = { action: 'retry'; delayMs: number } | { action: 'dead-letter' };

/**
 * What to do after attempt `attempt` (1-based) of a record failed.
 * A retryable error (a dependency that may come back) is retried for as long as it takes,
 * with capped exponential backoff: a down dependency must never become a flood of dead
 * letters. Any other error is retried up to the policy's attempts, then dead-lettered.
 */
export function decideOnFailure(error: TriageError, attempt: number, policy: RetryPolicy): FailureDecision {
  if (error.retryable || attempt < policy.maxAttempts) {
    return { action: 'retry', delayMs: backoffDelay(attempt, policy) };
  }
  return { action: 'dead-letter' };
}

export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 20);
  return Math.min(policy.initialDelayMs * 2 ** exponent, policy.maxDelayMs);
}
