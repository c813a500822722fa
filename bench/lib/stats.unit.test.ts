import { describe, expect, it } from 'vitest';
import { formatInt, formatRatio, median } from './stats.ts';

describe('median', () => {
  it('given an odd count, when taking the median, then it is the middle value', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('given an even count, when taking the median, then it is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('given no values, when taking the median, then it throws', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('formatRatio', () => {
  it('given a value and a baseline, when formatting, then it shows the ratio with two decimals', () => {
    expect(formatRatio(3, 2)).toBe('1.50×');
  });
  it('given a zero or missing baseline, when formatting, then it says n/a', () => {
    expect(formatRatio(3, 0)).toBe('n/a');
    expect(formatRatio(3, undefined)).toBe('n/a');
  });
});

describe('formatInt', () => {
  it('given a large number, when formatting, then it groups thousands and rounds', () => {
    expect(formatInt(1234567.6)).toBe('1\u2009234\u2009568');
    expect(formatInt(999)).toBe('999');
  });
});
