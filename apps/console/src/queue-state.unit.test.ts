import { describe, expect, it } from 'vitest';
import {
  casesApiSearch,
  emptyQueueState,
  filterSearch,
  nextPage,
  pageNumber,
  parseQueueSearch,
  previousPage,
  queueSearch,
  toggleFilter,
  withQuery,
} from './queue-state.ts';

describe('queue state <-> URL', () => {
  it('given the default queue, then the URL has no query and the API asks by score', () => {
    const state = parseQueueSearch('');
    expect(state).toEqual(emptyQueueState());
    expect(queueSearch(state)).toBe('');
    expect(casesApiSearch(state, 50)).toBe('?sort=score&limit=50');
  });

  it('given filters, text, sort and a place in the pages, then the URL round-trips them', () => {
    const search =
      '?tier=P1&tier=P2&status=new&novelty=new&country=NL&inJurisdiction=true&q=cdn+upload&sort=received&cursor=c2&prev=&prev=c1';
    const state = parseQueueSearch(search);
    expect(state.filters.tier).toEqual(['P1', 'P2']);
    expect(state.filters.country).toEqual(['NL']);
    expect(state.inJurisdiction).toBe(true);
    expect(state.q).toBe('cdn upload');
    expect(state.sort).toBe('received');
    expect(state.cursor).toBe('c2');
    expect(state.prev).toEqual(['', 'c1']);
    expect(parseQueueSearch(queueSearch(state))).toEqual(state);
  });

  it('given the console URL, then the API query carries the filters and cursor but never the stack', () => {
    const state = parseQueueSearch('?tier=P1&q=x&cursor=c2&prev=&prev=c1');
    const api = new URLSearchParams(casesApiSearch(state, 25));
    expect(api.getAll('tier')).toEqual(['P1']);
    expect(api.get('cursor')).toBe('c2');
    expect(api.get('limit')).toBe('25');
    expect(api.has('prev')).toBe(false);
  });

  it('given a stack without a cursor, or an unknown sort, then both are dropped', () => {
    const state = parseQueueSearch('?prev=c1&sort=sideways&inJurisdiction=maybe');
    expect(state.prev).toEqual([]);
    expect(state.sort).toBe('score');
    expect(state.inJurisdiction).toBeNull();
  });
});

describe('cursor stack', () => {
  it('given next, next, previous, previous, then the pages come back in order to the first', () => {
    const first = emptyQueueState();
    const second = nextPage(first, 'c1');
    const third = nextPage(second, 'c2');
    expect(third.cursor).toBe('c2');
    expect(third.prev).toEqual(['', 'c1']);
    expect(pageNumber(third)).toBe(3);
    expect(previousPage(third)).toEqual(second);
    expect(previousPage(second)).toEqual(first);
    expect(previousPage(first)).toEqual(first);
  });

  it('given a page further on, when a filter changes, then the place resets to the first page', () => {
    const far = nextPage(nextPage(emptyQueueState(), 'c1'), 'c2');
    const filtered = toggleFilter(far, 'tier', 'P1');
    expect(filtered.filters.tier).toEqual(['P1']);
    expect(filtered.cursor).toBeNull();
    expect(filtered.prev).toEqual([]);
    expect(toggleFilter(filtered, 'tier', 'P1').filters.tier).toEqual([]);
    expect(withQuery(far, { sort: 'received' }).cursor).toBeNull();
  });

  it('given a saved filter set, then it keeps the query and not the place', () => {
    const state = nextPage(withQuery(emptyQueueState(), { q: 'upload', filters: { tier: ['P2'] } }), 'c1');
    expect(filterSearch(state)).toBe('?tier=P2&q=upload');
  });
});
