import { describe, expect, it } from 'vitest';
import { itemSchedule, runOpenLoop } from './open-loop.ts';

describe('itemSchedule', () => {
  it('spaces uploads by the items sent before them, for the offered item rate', () => {
    // Given uploads of 5, 1 and 10 items at 10 items/s
    const sizes = [5, 1, 10];
    // When scheduled over 2 s
    const due = itemSchedule({ itemsPerUpload: (n) => sizes[n % 3]!, itemsPerSecond: 10, durationMs: 2000 });
    // Then each is due once the items before it reach the rate: 0, 5, 6, 16 items -> 0, 500, 600, 1600 ms
    expect(due).toEqual([0, 500, 600, 1600]);
  });

  it('schedules nothing at or past the duration', () => {
    expect(itemSchedule({ itemsPerUpload: () => 10, itemsPerSecond: 10, durationMs: 1000 })).toEqual([0]);
  });
});

describe('runOpenLoop', () => {
  it('starts each send on time while earlier sends are still running, and keeps their outcomes', async () => {
    // Given a send that takes 200 ms, due every 20 ms
    const started: number[] = [];
    const begun = performance.now();
    const result = await runOpenLoop(
      [0, 20, 40],
      async (index) => {
        started.push(performance.now() - begun);
        await new Promise((resolve) => setTimeout(resolve, 200));
        if (index === 1) throw new Error('refused');
        return index * 10;
      },
      10,
    );
    // Then the third send started long before the first finished (open loop, not closed)
    expect(started[2]!).toBeLessThan(150);
    expect(result.outcomes[0]).toBe(0);
    expect(result.outcomes[1]).toBeInstanceOf(Error);
    expect(result.outcomes[2]).toBe(20);
    expect(result.lateMs).toHaveLength(3);
    for (const late of result.lateMs) expect(late).toBeGreaterThanOrEqual(0);
  });
});

describe('runOpenLoop at its cap', () => {
  it('starts a send late once as many as the cap are in flight, and says how late', async () => {
    // Given sends of 100 ms, all due at once, at most 2 at a time
    const result = await runOpenLoop(
      [0, 0, 0],
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return 'ok';
      },
      2,
    );
    // Then the third waited for the first to finish
    expect(result.outcomes).toEqual(['ok', 'ok', 'ok']);
    expect(result.lateMs[2]!).toBeGreaterThanOrEqual(90);
    expect(result.lateMs[0]!).toBeLessThan(50);
  });
});
