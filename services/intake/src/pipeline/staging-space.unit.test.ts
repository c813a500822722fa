import { describe, expect, it } from 'vitest';
import { StagingSpace, stagingRefusal } from './staging-space.ts';

describe('staging free space', () => {
  it('given free space at or over the floor, then no refusal; under it, TRIAGE_STAGING_FULL with Retry-After', () => {
    expect(stagingRefusal(1_000, 1_000, 30)).toBeNull();
    expect(stagingRefusal(999, 1_000, 30)).toMatchObject({
      code: 'TRIAGE_STAGING_FULL',
      status: 503,
      details: { retryAfterSeconds: 30 },
    });
  });

  it('given two folders on volumes with different free space, then the fuller volume decides', async () => {
    const free: Record<string, number> = { '/content': 5_000, '/spool': 10 };
    const space = new StagingSpace({
      folders: ['/content', '/spool'],
      minFreeBytes: 100,
      freeBytesOf: async (folder) => free[folder]!,
    });
    expect(await space.refusal()).toMatchObject({ code: 'TRIAGE_STAGING_FULL' });
    free['/spool'] = 100;
    expect(await space.refusal()).toBeNull();
  });
});
