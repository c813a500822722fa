import { describe, expect, it } from 'vitest';
import { formatInt, formatRatio, median, percentile } from './stats.ts';

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

describe('percentile', () => {
  it('given 1..100 in any order, when taking nearest-rank percentiles, then p50 is 50 and p99 is 99', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
  });
  it('given one value, when taking any percentile, then it is that value', () => {
    expect(percentile([7], 0.99)).toBe(7);
  });
  it('given no values, when taking a percentile, then it throws', () => {
    expect(() => percentile([], 0.5)).toThrow(RangeError);
  });
});
