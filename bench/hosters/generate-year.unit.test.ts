import { describe, expect, it } from 'vitest';
import { generateYear } from './generate-year.ts';

describe('generateYear', () => {
  it('given a seed, then the same events each time, in time order, every case opened by its notice', () => {
    const options = { notices: 2_000, seed: 7, from: Date.UTC(2025, 0, 1) };
    const year = generateYear(options);
    expect(generateYear(options).events).toEqual(year.events);
    expect(year.events.filter((event) => event.type === 'notice_sent')).toHaveLength(2_000);
    expect(year.events.every((event, index) => index === 0 || year.events[index - 1]!.at <= event.at)).toBe(
      true,
    );
    const noticed = new Set<string>();
    for (const event of year.events) {
      const key = `${event.partnerId}:${event.noticeId}`;
      if (event.type === 'notice_sent') noticed.add(key);
      else if (event.noticeId !== null) expect(noticed.has(key)).toBe(true);
      expect(event.at).toBeLessThanOrEqual(year.to);
    }
    const types = new Set(year.events.map((event) => event.type));
    expect([...types].sort()).toEqual([
      'content_moved',
      'notice_sent',
      'reappeared',
      'removed_confirmed',
      'renotice_sent',
    ]);
  });
});
