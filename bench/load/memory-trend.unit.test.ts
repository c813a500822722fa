import { describe, expect, it } from 'vitest';
import { memoryTrend } from './memory-trend.ts';

const MiB = 1024 * 1024;
/** One sample a minute, in MiB. */
const series = (mib: readonly number[]) =>
  mib.map((value, minute) => ({ atMs: minute * 60_000, bytes: value * MiB }));

describe('memoryTrend', () => {
  it('is flat when the last quarter grows under 2 MiB a minute', () => {
    const trend = memoryTrend(series([200, 230, 250, 251, 251, 252, 252, 253, 253]));
    expect(trend.verdict).toBe('flat');
    expect(trend.startBytes).toBe(200 * MiB);
    expect(trend.endBytes).toBe(253 * MiB);
    expect(trend.peakBytes).toBe(253 * MiB);
  });

  it('levels off when the last quarter grows at most a quarter as fast as the first half', () => {
    // +40 MiB/min until a cache is full at two thirds of the run, then +5 MiB/min
    const trend = memoryTrend(series([100, 140, 180, 220, 260, 300, 340, 345, 350, 355]));
    expect(trend.firstHalfSlope / MiB).toBeCloseTo(40, 5);
    expect(trend.lastQuarterSlope / MiB).toBeCloseTo(5, 5);
    expect(trend.verdict).toBe('levels off');
  });

  it('is still growing when the last quarter grows as fast as the first half (a leak)', () => {
    const trend = memoryTrend(series([100, 110, 120, 130, 140, 150, 160]));
    expect(trend.lastQuarterSlope / MiB).toBeCloseTo(10, 5);
    expect(trend.verdict).toBe('still growing');
  });
});
