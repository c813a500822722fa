import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { belowMinimumRate, InFlightUploads } from './upload-watch.ts';

describe('belowMinimumRate', () => {
  it.each([
    [59_999, 60_000, 1_000, true],
    [60_000, 60_000, 1_000, false],
    [0, 3_000, 1, true],
    [768, 3_000, 256, false],
  ])(
    'Given %i bytes over %i ms against %i bytes/s, when judged, then below is %s',
    (bytes, windowMs, min, below) => {
      expect(belowMinimumRate(bytes, windowMs, min)).toBe(below);
    },
  );
});

describe('InFlightUploads', () => {
  it('Given two uploads of which one ended, when shutdown aborts, then only the one still arriving hears the error', () => {
    const uploads = new InFlightUploads();
    const heard: string[] = [];
    uploads.add((error) => heard.push(`a:${error.code}`));
    const forgetB = uploads.add((error) => heard.push(`b:${error.code}`));
    forgetB();
    expect(uploads.size).toBe(1);
    expect(uploads.abortAll(new TriageError('TRIAGE_SHUTTING_DOWN', 'stopping'))).toBe(1);
    expect(heard).toEqual(['a:TRIAGE_SHUTTING_DOWN']);
  });
});
