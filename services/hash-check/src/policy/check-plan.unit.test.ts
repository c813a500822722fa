import { TriageError } from '@triage/errors';
import type { KnownHashHit } from '@triage/hash-lists';
import { describe, expect, it } from 'vitest';
import {
  answerCheck,
  type CheckRequestBody,
  describeBatch,
  type HosterPolicy,
  planCheck,
} from './check-plan.ts';

const md5 = 'a'.repeat(32);
const pdq = 'f'.repeat(64);
const policy: HosterPolicy = { lists: ['police-confirmed', 'ngo'], pdqMaxDistance: 16, category: false };
const limits = { maxBatch: 3, maxPdqDistance: 31 };

function codeOf(run: () => unknown): { code: string; pointer: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TriageError);
    return { code: (error as TriageError).code, pointer: (error as TriageError).pointer };
  }
  throw new Error('expected a refusal');
}

const hit = (listName: string, category: number | null, distance = 0): KnownHashHit => ({
  listName,
  listVersion: 'v1',
  hashType: 'MD5',
  category,
  categoryLabel: 'a label that must never leave',
  distance,
});

describe('planCheck', () => {
  it('given a valid batch, then every hash is normalised and the policy distance and list order apply', () => {
    const plan = planCheck(
      {
        hashes: [
          { type: 'md5', value: md5.toUpperCase() },
          { type: 'pdq', value: pdq },
        ],
        lists: ['ngo', 'police-confirmed'],
      },
      policy,
      limits,
    );
    expect(plan).toEqual({
      queries: [
        { type: 'MD5', value: md5 },
        { type: 'PDQ', value: pdq },
      ],
      lists: ['police-confirmed', 'ngo'],
      pdqDistance: 16,
      withCategory: false,
    });
  });

  it('given a hoster allowed more than the service cap, then the cap is its default and its limit', () => {
    const generous = { ...policy, pdqMaxDistance: 31 };
    expect(
      planCheck({ hashes: [{ type: 'pdq', value: pdq }] }, generous, { ...limits, maxPdqDistance: 20 })
        .pdqDistance,
    ).toBe(20);
    expect(
      codeOf(() =>
        planCheck({ hashes: [{ type: 'pdq', value: pdq }], pdqDistance: 21 }, generous, {
          ...limits,
          maxPdqDistance: 20,
        }),
      ),
    ).toEqual({ code: 'TRIAGE_HASH_DISTANCE_TOO_LARGE', pointer: '/body/pdqDistance' });
  });

  it.each<[string, CheckRequestBody, HosterPolicy, string, string | undefined]>([
    [
      'an oversized batch',
      { hashes: Array(4).fill({ type: 'md5', value: md5 }) },
      policy,
      'TRIAGE_HASH_CHECK_BATCH_TOO_LARGE',
      '/body/hashes',
    ],
    [
      'a labels field',
      { hashes: [{ type: 'md5', value: md5 }], labels: true } as CheckRequestBody,
      policy,
      'TRIAGE_HASH_CHECK_FIELD_REFUSED',
      '/body/labels',
    ],
    [
      'labels asked for',
      { hashes: [{ type: 'md5', value: md5 }], include: ['label'] },
      policy,
      'TRIAGE_HASH_CHECK_FIELD_REFUSED',
      '/body/include/0',
    ],
    [
      'distances asked for',
      { hashes: [{ type: 'md5', value: md5 }], include: ['distance'] },
      policy,
      'TRIAGE_HASH_CHECK_FIELD_REFUSED',
      '/body/include/0',
    ],
    [
      'a category the policy does not give',
      { hashes: [{ type: 'md5', value: md5 }], include: ['category'] },
      policy,
      'TRIAGE_HASH_CHECK_FIELD_REFUSED',
      '/body/include/0',
    ],
    [
      'a hoster with no list',
      { hashes: [{ type: 'md5', value: md5 }] },
      { ...policy, lists: [] },
      'TRIAGE_AUTH_FORBIDDEN',
      undefined,
    ],
    [
      'a list not granted',
      { hashes: [{ type: 'md5', value: md5 }], lists: ['ngo', 'secret'] },
      policy,
      'TRIAGE_AUTH_FORBIDDEN',
      '/body/lists/1',
    ],
    [
      'a short md5',
      {
        hashes: [
          { type: 'md5', value: md5 },
          { type: 'md5', value: 'abc' },
        ],
      },
      policy,
      'TRIAGE_HASH_CHECK_HASH_INVALID',
      '/body/hashes/1/value',
    ],
    [
      'a pdq that is not hex',
      { hashes: [{ type: 'pdq', value: 'g'.repeat(64) }] },
      policy,
      'TRIAGE_HASH_CHECK_HASH_INVALID',
      '/body/hashes/0/value',
    ],
  ])('given %s, then %s', (_case, body, hoster, code, pointer) => {
    expect(codeOf(() => planCheck(body, hoster, limits))).toEqual({ code, pointer });
  });
});

describe('answerCheck', () => {
  const plan = planCheck(
    {
      hashes: [
        { type: 'md5', value: md5 },
        { type: 'md5', value: 'b'.repeat(32) },
        { type: 'pdq', value: pdq },
      ],
    },
    policy,
    limits,
  );

  it('given hits, then only match / no match leaves, and every hash is looked up whatever came first', () => {
    const looked: string[] = [];
    const answers = answerCheck(plan, (type, value, distance) => {
      looked.push(`${type}:${distance}`);
      if (value === md5) return [hit('police-confirmed', 1)];
      if (type === 'PDQ') return [hit('ngo', 2, 9)];
      return [];
    });
    expect(looked).toEqual(['MD5:0', 'MD5:0', 'PDQ:16']);
    expect(answers).toEqual([{ match: true }, { match: false }, { match: true }]);
    expect(describeBatch(plan, answers)).toBe(
      'hashes=3&md5=2&sha1=0&sha256=0&pdq=1&pdqDistance=16&lists=police-confirmed,ngo&matches=2',
    );
  });

  it('given hits on a list not checked or a non-pertinent verdict, then no match', () => {
    const answers = answerCheck(plan, () => [hit('secret', 1), hit('ngo', 0)]);
    expect(answers).toEqual([{ match: false }, { match: false }, { match: false }]);
  });

  it('given a policy with categories, then the category of the first list in policy order, and nothing else', () => {
    const withCategory = planCheck(
      { hashes: [{ type: 'md5', value: md5 }], include: ['category'], lists: ['ngo', 'police-confirmed'] },
      { ...policy, category: true },
      limits,
    );
    const answers = answerCheck(withCategory, () => [hit('ngo', 3), hit('police-confirmed', 1)]);
    expect(answers).toEqual([{ match: true, category: 1 }]);
  });
});
