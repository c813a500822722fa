import { describe, expect, it } from 'vitest';
import { parseSavedFilters, savedFiltersKey, withoutSavedFilter, withSavedFilter } from './saved-filters.ts';

describe('saved filter sets', () => {
  it('given sets saved under one name twice, then the newer replaces the older and the list is by name', () => {
    let sets = withSavedFilter([], { name: 'P1 new', search: '?tier=P1' });
    sets = withSavedFilter(sets, { name: 'NL', search: '?country=NL' });
    sets = withSavedFilter(sets, { name: ' P1 new ', search: '?tier=P1&novelty=new' });
    expect(sets).toEqual([
      { name: 'NL', search: '?country=NL' },
      { name: 'P1 new', search: '?tier=P1&novelty=new' },
    ]);
    expect(withoutSavedFilter(sets, 'NL')).toEqual([{ name: 'P1 new', search: '?tier=P1&novelty=new' }]);
    expect(withSavedFilter(sets, { name: '  ', search: '?x' })).toEqual(sets);
  });

  it('given stored text, then well-formed sets are read and anything else is no sets', () => {
    expect(parseSavedFilters(JSON.stringify([{ name: 'a', search: '?q=x' }, { name: 1 }]))).toEqual([
      { name: 'a', search: '?q=x' },
    ]);
    expect(parseSavedFilters('{oops')).toEqual([]);
    expect(parseSavedFilters('{}')).toEqual([]);
    expect(parseSavedFilters(null)).toEqual([]);
  });

  it('given two users, then their sets are kept apart', () => {
    expect(savedFiltersKey('analyst-1')).not.toBe(savedFiltersKey('analyst-2'));
  });
});
