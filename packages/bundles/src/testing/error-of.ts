import { TriageError } from '@triage/errors';

/** The TriageError `run` throws; anything else (or nothing) fails the test. */
export function errorOf(run: () => unknown): TriageError {
  try {
    run();
  } catch (error) {
    if (error instanceof TriageError) return error;
    throw error;
  }
  throw new Error('expected a TriageError');
}
