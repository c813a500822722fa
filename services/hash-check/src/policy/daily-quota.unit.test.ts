import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { DailyHashQuota } from './daily-quota.ts';

const day = 86_400_000;

describe('DailyHashQuota', () => {
  it('given a quota, when a batch would pass it, then 429 until the next UTC day, which starts afresh', () => {
    const quota = new DailyHashQuota();
    const noon = 20_000 * day + day / 2;
    quota.take('h', 600, 1_000, noon);
    let refused: unknown;
    try {
      quota.take('h', 401, 1_000, noon + 1);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TriageError);
    expect((refused as TriageError).code).toBe('TRIAGE_HASH_CHECK_QUOTA');
    expect((refused as TriageError).details?.retryAfterSeconds).toBeCloseTo(day / 2000 - 0.001);
    quota.take('h', 400, 1_000, noon + 2);
    expect(() => quota.take('h', 1, 1_000, noon + 3)).toThrow(TriageError);
    expect(() => quota.take('h', 1_000, 1_000, 20_001 * day)).not.toThrow();
    expect(() => quota.take('other', 5_000, undefined, noon)).not.toThrow();
  });
});
