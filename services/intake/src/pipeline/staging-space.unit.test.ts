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

  it('given maxAgeMs, then requests within it share one reading, and a failed reading is not kept', async () => {
    let reads = 0;
    let free = 10;
    let failing = true;
    const space = new StagingSpace({
      folders: ['/content'],
      minFreeBytes: 100,
      maxAgeMs: 60_000,
      freeBytesOf: async () => {
        reads += 1;
        if (failing) throw new Error('EIO');
        return free;
      },
    });
    await expect(space.refusal()).rejects.toThrow('EIO');
    failing = false;
    expect(await space.refusal()).toMatchObject({ code: 'TRIAGE_STAGING_FULL' });
    free = 5_000;
    expect(await space.refusal()).toMatchObject({ code: 'TRIAGE_STAGING_FULL' });
    expect(reads).toBe(2);
  });
});
