import { pdqSegments } from '@triage/search';
import { describe, expect, it } from 'vitest';
import {
  clusterMembersRequest,
  hashLookupLimits,
  hashTargetId,
  itemsRequest,
  mediaMatchRequest,
  parseHashLookup,
} from './hash-query.ts';

const md5 = '0123456789abcdef'.repeat(2);
const sha1 = `${md5}01234567`;
const hex64 = '0123456789abcdef'.repeat(4);
const cap = 31;

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string; pointer?: string }).code;
  }
  return 'no error';
};

describe('parseHashLookup', () => {
  it('given 32 or 40 hex digits, then MD5 or SHA-1 by length, lower-cased, distance 0', () => {
    expect(parseHashLookup({ value: md5.toUpperCase() }, cap)).toEqual({
      type: 'md5',
      value: md5,
      distance: 0,
    });
    expect(parseHashLookup({ value: sha1 }, cap)).toEqual({ type: 'sha1', value: sha1, distance: 0 });
  });

  it('given 64 hex digits without a type or prefix, then TRIAGE_HASH_TYPE_AMBIGUOUS, even with a distance', () => {
    expect(codeOf(() => parseHashLookup({ value: hex64 }, cap))).toBe('TRIAGE_HASH_TYPE_AMBIGUOUS');
    expect(codeOf(() => parseHashLookup({ value: hex64, distance: 8 }, cap))).toBe(
      'TRIAGE_HASH_TYPE_AMBIGUOUS',
    );
  });

  it('given 64 hex digits with a type or a prefix (any case), then that type', () => {
    expect(parseHashLookup({ value: hex64, type: 'sha256' }, cap).type).toBe('sha256');
    expect(parseHashLookup({ value: hex64, type: 'pdq', distance: 12 }, cap)).toEqual({
      type: 'pdq',
      value: hex64,
      distance: 12,
    });
    expect(parseHashLookup({ value: `PDQ:${hex64.toUpperCase()}` }, cap)).toEqual({
      type: 'pdq',
      value: hex64,
      distance: 0,
    });
    expect(parseHashLookup({ value: `sha256:${hex64}`, type: 'sha256' }, cap).type).toBe('sha256');
    expect(parseHashLookup({ value: `md5:${md5}` }, cap).type).toBe('md5');
  });

  it.each([
    ['not hex', { value: 'z'.repeat(32) }],
    ['an unknown length', { value: `${'ab'.repeat(20)}a` }],
    ['a length not of its type', { value: md5, type: 'sha1' as const }],
    ['a prefix of another length', { value: `pdq:${md5}` }],
    ['an unknown prefix', { value: `crc32:${md5}` }],
    ['a prefix and a type that disagree', { value: `pdq:${hex64}`, type: 'sha256' as const }],
    ['a distance for an exact hash', { value: md5, distance: 1 }],
    ['an empty value after the prefix', { value: 'pdq:' }],
  ])('given %s, then TRIAGE_HASH_LOOKUP_INVALID', (_label, input) => {
    expect(codeOf(() => parseHashLookup(input, cap))).toBe('TRIAGE_HASH_LOOKUP_INVALID');
  });

  it('given a PDQ distance above the cap, then TRIAGE_HASH_DISTANCE_TOO_LARGE; at the cap, accepted', () => {
    expect(parseHashLookup({ value: hex64, type: 'pdq', distance: 20 }, 20).distance).toBe(20);
    expect(codeOf(() => parseHashLookup({ value: hex64, type: 'pdq', distance: 21 }, 20))).toBe(
      'TRIAGE_HASH_DISTANCE_TOO_LARGE',
    );
    expect(codeOf(() => parseHashLookup({ value: hex64, type: 'pdq', distance: 32 }, cap))).toBe(
      'TRIAGE_HASH_DISTANCE_TOO_LARGE',
    );
  });
});

describe('hashTargetId', () => {
  it('given a hash, then <type>:<lower-case value> whatever the distance; given no hash, unknown:<value as sent>', () => {
    expect(hashTargetId({ value: `PDQ:${hex64}`, distance: 99 })).toBe(`pdq:${hex64}`);
    expect(hashTargetId({ value: md5.toUpperCase(), distance: 3 })).toBe(`md5:${md5}`);
    expect(hashTargetId({ value: hex64 })).toBe(`unknown:${hex64}`);
    expect(hashTargetId({ value: 'xyz', type: 'sha1' })).toBe('unknown:xyz');
  });
});

describe('mediaMatchRequest', () => {
  it('given an exact hash, then a term on its field, one more than the media cap, no segments or report lists', () => {
    expect(mediaMatchRequest({ type: 'sha1', value: sha1, distance: 0 })).toEqual({
      query: { term: { sha1 } },
      sort: [{ sha256: 'asc' }],
      size: hashLookupLimits.media + 1,
      _source: { excludes: ['pdqSegments', 'reportIds'] },
    });
  });

  it('given PDQ within 15, then the 16 exact segment terms; from 16, plus the 256 neighbours; candidates capped', () => {
    const near = mediaMatchRequest({ type: 'pdq', value: hex64, distance: 15 });
    const should = near.query.bool?.should ?? [];
    expect(should).toHaveLength(16);
    expect(should.map((clause) => clause.constant_score.filter.term.pdqSegments)).toEqual(pdqSegments(hex64));
    expect(should.every((clause) => clause.constant_score.boost === 2)).toBe(true);
    expect(near.size).toBe(hashLookupLimits.pdqCandidates + 1);
    expect(near._source).toEqual({ includes: ['sha256', 'pdq'] });

    const wide = mediaMatchRequest({ type: 'pdq', value: hex64, distance: 16 }).query.bool?.should ?? [];
    expect(wide).toHaveLength(16 + 256);
    expect(wide.filter((clause) => clause.constant_score.boost === 1)).toHaveLength(256);
  });
});

describe('itemsRequest and clusterMembersRequest', () => {
  it('given an exact hash, then items by the hash or a matched file; for PDQ, by matched files and their PDQs', () => {
    expect(itemsRequest({ type: 'md5', value: md5, distance: 0 }, ['s1'], []).query).toEqual({
      bool: { should: [{ terms: { sha256: ['s1'] } }, { term: { md5 } }], minimum_should_match: 1 },
    });
    expect(itemsRequest({ type: 'pdq', value: hex64, distance: 4 }, ['s1'], [hex64]).query).toEqual({
      bool: { should: [{ terms: { sha256: ['s1'] } }, { terms: { pdq: [hex64] } }], minimum_should_match: 1 },
    });
    expect(itemsRequest({ type: 'sha256', value: hex64, distance: 0 }, [], []).size).toBe(
      hashLookupLimits.items + 1,
    );
  });

  it('given clusters, then their files except the matched ones, capped', () => {
    expect(clusterMembersRequest(['c1'], ['s1'])).toMatchObject({
      query: {
        bool: { filter: [{ terms: { clusterId: ['c1'] } }], must_not: [{ terms: { sha256: ['s1'] } }] },
      },
      size: hashLookupLimits.clusterMembers + 1,
    });
  });
});
