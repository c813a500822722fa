import type { AuditRecordInput } from '@triage/audit';
import { TriageError } from '@triage/errors';
import { createLogger } from '@triage/logging';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import type { AuthenticatedHoster } from '../hoster-directory.ts';
import { DailyHashQuota } from '../policy/daily-quota.ts';
import { ProbeDetector } from '../policy/probe-detector.ts';

const listed = 'a'.repeat(32);
const hoster: AuthenticatedHoster = {
  hosterId: 'hoster-a',
  keyId: 'k1',
  policy: { lists: ['police-confirmed'], pdqMaxDistance: 31, category: false },
  rateLimit: { max: 1_000, timeWindow: 60_000 },
  hashesPerDay: undefined,
};

/** The app with an in-memory list of one MD5, a clock that stands still, and a recorded wait. */
async function appWithRecordedWaits() {
  const deadlines: number[] = [];
  const lookups: string[] = [];
  const events: AuditRecordInput[] = [];
  const app = await buildApp({
    logger: createLogger({ name: 'hash-check-test', level: 'silent' }),
    hosters: {
      authenticate: (authorization) => {
        if (authorization !== 'Bearer thk_test-key-0123456789')
          throw new TriageError('TRIAGE_AUTH_REQUIRED', 'no');
        return hoster;
      },
    },
    lists: {
      lookup: (type, value) => {
        lookups.push(value);
        return value === listed
          ? [
              {
                listName: 'police-confirmed',
                listVersion: 'v1',
                hashType: type,
                category: 1,
                categoryLabel: 'x',
                distance: 0,
              },
            ]
          : [];
      },
      ready: () => true,
    },
    audit: { record: async (input) => events.push(input) },
    detector: new ProbeDetector({ nearBits: 8, maxBoundaryPairs: 16, windowMs: 60_000, cooldownMs: 60_000 }),
    quota: new DailyHashQuota(),
    limits: { maxBatch: 100, maxPdqDistance: 31 },
    answerFloorMs: 250,
    clock: () => 1_000_000,
    wait: async (deadline) => {
      deadlines.push(deadline);
    },
  });
  return { app, deadlines, lookups, events };
}

const check = (hashes: string[]) => ({
  method: 'POST' as const,
  url: '/v1/hash-check',
  headers: { authorization: 'Bearer thk_test-key-0123456789' },
  payload: { hashes: hashes.map((value) => ({ type: 'md5', value })) },
});

describe('the answer floor', () => {
  it('given a batch that matches and one that does not, then both wait for the same deadline after a full lookup', async () => {
    const { app, deadlines, lookups, events } = await appWithRecordedWaits();
    const matching = await app.inject(check([listed, 'b'.repeat(32)]));
    const missing = await app.inject(check(['c'.repeat(32), 'd'.repeat(32)]));
    expect(matching.json()).toEqual({ answers: [{ match: true }, { match: false }] });
    expect(missing.json()).toEqual({ answers: [{ match: false }, { match: false }] });
    expect(deadlines).toEqual([1_000_250, 1_000_250]);
    expect(lookups).toEqual([listed, 'b'.repeat(32), 'c'.repeat(32), 'd'.repeat(32)]);
    expect(events.map((event) => [event.outcome, event.resultCount])).toEqual([
      ['allowed', 1],
      ['allowed', 0],
    ]);
    await app.close();
  });

  it('given a refused batch, then it waits for the floor too, and an unauthenticated one is refused at once', async () => {
    const { app, deadlines } = await appWithRecordedWaits();
    const refused = await app.inject(check(['xyz']));
    expect(refused.json()).toMatchObject({ code: 'TRIAGE_HASH_CHECK_HASH_INVALID' });
    expect(deadlines).toEqual([1_000_250]);
    const anonymous = await app.inject({ ...check([listed]), headers: {} });
    expect(anonymous.statusCode).toBe(401);
    expect(deadlines).toHaveLength(1);
    await app.close();
  });
});
