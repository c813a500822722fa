import { describe, expect, it } from 'vitest';
import { nextUtcDay, quotaRefusal } from './partner-quota.ts';

const now = Date.parse('2026-12-05T22:00:00Z');
const used = { bundles: 9, reports: 90, bytes: 9_000 };

describe('partner quota', () => {
  it('given no quota, when asked, then nothing is refused', () => {
    expect(quotaRefusal(undefined, used, { reports: 1_000_000, bytes: 1e12 }, now)).toBeNull();
  });

  it('given room for one more bundle, when it fits every quota, then it is accepted', () => {
    const quota = { bundlesPerDay: 10, reportsPerDay: 100, bytesPerDay: 10_000 };
    expect(quotaRefusal(quota, used, { reports: 10, bytes: 1_000 }, now)).toBeNull();
    expect(quotaRefusal(quota, used, null, now)).toBeNull();
  });

  it.each([
    ['bundlesPerDay', { bundlesPerDay: 9 }, { reports: 1, bytes: 1 }],
    ['reportsPerDay', { reportsPerDay: 100 }, { reports: 11, bytes: 1 }],
    ['bytesPerDay', { bytesPerDay: 10_000 }, { reports: 1, bytes: 1_001 }],
  ])(
    'given a bundle that passes %s, when asked, then 429 TRIAGE_PARTNER_QUOTA until midnight UTC',
    (name, quota, incoming) => {
      const refusal = quotaRefusal(quota, used, incoming, now);
      expect(refusal?.code).toBe('TRIAGE_PARTNER_QUOTA');
      expect(refusal?.status).toBe(429);
      expect(refusal?.details).toMatchObject({ quota: name, retryAfterSeconds: 2 * 60 * 60 });
    },
  );

  it('given a quota used up exactly, when the next body has not been read, then it is refused before the body', () => {
    expect(quotaRefusal({ bundlesPerDay: 9 }, used, null, now)?.details).toMatchObject({
      quota: 'bundlesPerDay',
    });
    expect(quotaRefusal({ bundlesPerDay: 10 }, used, null, now)).toBeNull();
  });

  it('given midnight itself, when the next day is asked, then it is a whole day later', () => {
    const midnight = Date.parse('2026-12-06T00:00:00Z');
    expect(nextUtcDay(midnight)).toBe(Date.parse('2026-12-07T00:00:00Z'));
    expect(nextUtcDay(now)).toBe(midnight);
  });
});
