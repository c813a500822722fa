import { describe, expect, it } from 'vitest';
import {
  analystsExposureOf,
  analystsExposureRequest,
  defaultExposureWindowMs,
  exposureCountsOf,
  exposureWindow,
  maxExposureAnalysts,
  selfExposureRequest,
  sessionFallbackMs,
  sessionStart,
} from './exposure-query.ts';

const counted = [{ terms: { action: ['view_media', 'reveal'] } }, { term: { outcome: 'allowed' } }] as const;

describe('selfExposureRequest', () => {
  it('given a subject and a session start, then its allowed previews and reveals since then, counted apart, no hits', () => {
    expect(selfExposureRequest('analyst-1', { from: 1_000 })).toEqual({
      size: 0,
      track_total_hits: false,
      query: {
        bool: {
          filter: [{ term: { actor: 'analyst-1' } }, ...counted, { range: { at: { gte: 1_000 } } }],
        },
      },
      aggs: {
        previews: { filter: { term: { action: 'view_media' } } },
        reveals: { filter: { term: { action: 'reveal' } } },
      },
    });
  });
});

describe('analystsExposureRequest', () => {
  it('given a window, then every actor in it, busiest first, with counts and no hits (so no targets)', () => {
    const request = analystsExposureRequest({ from: 1_000, to: 2_000 });
    expect(request.size).toBe(0);
    expect(request.query.bool.filter).toEqual([...counted, { range: { at: { gte: 1_000, lt: 2_000 } } }]);
    expect(request.aggs.analysts.terms).toEqual({
      field: 'actor',
      size: maxExposureAnalysts,
      order: [{ _count: 'desc' }, { _key: 'asc' }],
    });
    expect(Object.keys(request.aggs.analysts.aggs)).toEqual(['previews', 'reveals']);
    expect(JSON.stringify(request)).not.toMatch(/target|sha256/);
  });
});

describe('answer shaping', () => {
  it('given filter aggregations, then their counts; given none, then zeros', () => {
    expect(exposureCountsOf({ previews: { doc_count: 4 }, reveals: { doc_count: 1 } })).toEqual({
      previews: 4,
      reveals: 1,
    });
    expect(exposureCountsOf(undefined)).toEqual({ previews: 0, reveals: 0 });
  });

  it('given actor buckets, then subject and counts per actor in bucket order; truncated when others were left out', () => {
    const aggregations = {
      analysts: {
        sum_other_doc_count: 3,
        buckets: [
          { key: 'analyst-2', doc_count: 5, previews: { doc_count: 3 }, reveals: { doc_count: 2 } },
          { key: 'analyst-1', doc_count: 1, previews: { doc_count: 1 }, reveals: { doc_count: 0 } },
        ],
      },
    };
    expect(analystsExposureOf(aggregations)).toEqual({
      analysts: [
        { sub: 'analyst-2', previews: 3, reveals: 2 },
        { sub: 'analyst-1', previews: 1, reveals: 0 },
      ],
      truncated: true,
    });
    expect(analystsExposureOf(undefined)).toEqual({ analysts: [], truncated: false });
  });
});

describe('exposureWindow', () => {
  const now = 10 * defaultExposureWindowMs;

  it('given no bounds, then the last day up to now', () => {
    expect(exposureWindow({}, now)).toEqual({ from: now - defaultExposureWindowMs, to: now });
  });

  it('given only `to`, then the day before it; given both, then both', () => {
    expect(exposureWindow({ to: 5_000_000_000 }, now)).toEqual({
      from: 5_000_000_000 - defaultExposureWindowMs,
      to: 5_000_000_000,
    });
    expect(exposureWindow({ from: 1, to: 2 }, now)).toEqual({ from: 1, to: 2 });
  });

  // Found by schemathesis: `?to=0` answered `from: -86400000`, breaking the documented minimum of 0.
  it('given a `to` less than a day after the epoch, then the window starts at the epoch', () => {
    expect(exposureWindow({ to: 1_000 }, now)).toEqual({ from: 0, to: 1_000 });
  });

  it.each([[{ from: 2, to: 2 }], [{ from: 3, to: 2 }], [{ from: now + 1 }]])(
    'given %j, then no window (`from` is not before `to`)',
    (query) => {
      expect(exposureWindow(query, now)).toBeNull();
    },
  );
});

describe('sessionStart', () => {
  it('given the token says when it was issued, then then (seconds to milliseconds)', () => {
    expect(sessionStart(1_700_000_000, 1_800_000_000_000)).toBe(1_700_000_000_000);
  });

  it('given a token without iat, then a shift before now', () => {
    expect(sessionStart(null, 1_800_000_000_000)).toBe(1_800_000_000_000 - sessionFallbackMs);
  });
});
