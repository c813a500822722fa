// The generated takedown events obey every validation rule of docs/hoster-figures.md, so intake
// records all of them; the checker below is the doc's list, and it is shown to catch breaches.
import { describe, expect, it } from 'vitest';
import { planTakedowns } from './plan-takedowns.ts';
import { formatAt, takedownEvents } from './takedown-events.ts';
import { noticesWithoutReport, requiredFields, ruleViolations } from './testing/takedown-rules.ts';
import type { TakedownEventRequest } from './types.ts';

const month = Date.UTC(2026, 8, 1);

describe('takedownEvents', () => {
  it.each([1, 7, 2026, 99_999])(
    'given seed %i and 400 notices, when the month is rendered, then every event obeys every rule',
    (seed) => {
      const events = takedownEvents(planTakedowns({ seed, from: month, notices: 400 }));
      expect(ruleViolations(events)).toEqual([]);
      for (const stream of events.values()) expect(noticesWithoutReport(stream)).toEqual([]);
      const all = [...events.values()].flat();
      const types = new Set(all.map((event) => event.type));
      expect([...types].sort()).toEqual(Object.keys(requiredFields).sort());
      expect(new Set(all.map((event) => event.eventId)).size).toBe(all.length);
      // Every event inside the month.
      for (const event of all) {
        expect(Date.parse(event.at)).toBeGreaterThanOrEqual(month);
        expect(Date.parse(event.at)).toBeLessThan(Date.UTC(2026, 9, 1));
      }
    },
  );

  it('given a rendered month, when events are reordered, a notice repeated or a case reopened, then the checker names each breach', () => {
    const events = takedownEvents(planTakedowns({ seed: 3, from: month, notices: 50 }));
    const [partnerId, stream] = [...events][0]!;
    const removal = stream.findIndex((event) => event.type === 'removed_confirmed');
    const notice = stream.find((event) => event.noticeId === stream[removal]!.noticeId)!;
    const broken = [
      ...stream.slice(0, removal + 1),
      { ...notice, eventId: 'x-1' },
      { eventId: 'x-2', type: 'renotice_sent', at: stream[removal]!.at, noticeId: notice.noticeId },
      { eventId: 'x-3', type: 'removed_confirmed', at: notice.at, noticeId: 'nowhere' },
      { ...stream[0]!, sha256: 'ABC' },
    ] as TakedownEventRequest[];
    const problems = ruleViolations(new Map([[partnerId, broken]]));
    expect(problems).toEqual([
      expect.stringContaining('second notice_sent'),
      expect.stringContaining('before the latest event on'),
      expect.stringContaining('is closed'),
      expect.stringContaining('has no notice_sent yet'),
      expect.stringContaining('eventId repeated'),
      expect.stringContaining('sha256'),
      expect.stringContaining('before the latest event on'),
    ]);
  });

  it('given the same seed twice, when rendered, then the events are equal; another seed differs', () => {
    const render = (seed: number) => takedownEvents(planTakedowns({ seed, from: month, notices: 60 }));
    expect(render(11)).toEqual(render(11));
    expect(render(12)).not.toEqual(render(11));
  });

  it('given known content, when planned, then notices reuse its hashes and items, and content that comes back gets its own hash', () => {
    const content = [
      { sha256: 'a'.repeat(64), itemId: 'hotline-nl:300000001/f1' },
      { sha256: 'b'.repeat(64), itemId: null },
    ];
    const plan = planTakedowns({ seed: 5, from: month, notices: 300, content });
    const reused = plan.cases.filter((entry) => entry.sha256 === content[0]!.sha256);
    expect(reused.length).toBeGreaterThan(0);
    expect(reused.every((entry) => entry.itemId === content[0]!.itemId)).toBe(true);
    const back = plan.cases.filter((entry) => entry.reappearedAt !== null);
    expect(back.length).toBeGreaterThan(0);
    for (const entry of back) expect(content.map((known) => known.sha256)).not.toContain(entry.sha256);
  });

  it('given an offset, when a time is formatted, then it is the same instant written in that offset', () => {
    const at = Date.UTC(2026, 8, 30, 23, 30, 5);
    expect(formatAt(at, 60)).toBe('2026-10-01T00:30:05+01:00');
    expect(formatAt(at, 0)).toBe('2026-09-30T23:30:05Z');
    expect(formatAt(at + 7, -150)).toBe('2026-09-30T21:00:05.007-02:30');
    expect(Date.parse(formatAt(at, 60))).toBe(at);
  });
});
