import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { createHosterKey, hashHosterKey } from './hoster-keys.ts';
import { parseHostersFile, withHosterKey, withoutHosterKey } from './hosters-file.ts';

describe('hosters file', () => {
  it('given a hoster with only keys, when parsed, then it has no rights: no lists, exact PDQ, no categories', () => {
    const file = parseHostersFile(
      JSON.stringify({
        hosters: [{ hosterId: 'host-nl', keys: [{ id: 'k1', sha256: hashHosterKey('a') }] }],
      }),
      'hosters.json',
    );
    expect(file.hosters[0]).toMatchObject({
      lists: [],
      pdqMaxDistance: 0,
      category: false,
      rateLimit: { max: 60, timeWindow: 60_000 },
    });
  });

  it.each([
    [
      'a PDQ distance above 31',
      { hosters: [{ hosterId: 'h', pdqMaxDistance: 40 }] },
      '/hosters/0/pdqMaxDistance',
    ],
    ['a list name with a colon', { hosters: [{ hosterId: 'h', lists: ['a:b'] }] }, '/hosters/0/lists/0'],
    ['an unknown field', { hosters: [{ hosterId: 'h', labels: true }] }, '/hosters/0'],
    [
      'one key for two hosters',
      {
        hosters: [
          { hosterId: 'h', keys: [{ id: 'k', sha256: hashHosterKey('a') }] },
          { hosterId: 'i', keys: [{ id: 'k', sha256: hashHosterKey('a') }] },
        ],
      },
      '/hosters/1/keys/0/sha256',
    ],
  ])('given %s, when parsed, then TRIAGE_CONFIG_INVALID names %s', (_case, content, path) => {
    let caught: unknown;
    try {
      parseHostersFile(JSON.stringify(content), 'hosters.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TriageError);
    expect((caught as TriageError).message).toContain(path);
  });

  it('given a new hoster, when keys are added (rotation) and one revoked, then the policy stays and only hashes are kept', () => {
    const first = createHosterKey();
    expect(first.key).toMatch(/^thk_[A-Za-z0-9_-]{43}$/);
    expect(first.sha256).toBe(hashHosterKey(first.key));
    const one = withHosterKey(
      { hosters: [] },
      'host-nl',
      { id: 'k1', sha256: first.sha256 },
      { lists: ['ngo'], pdqMaxDistance: 20 },
    );
    const two = withHosterKey(one, 'host-nl', { id: 'k2', sha256: createHosterKey().sha256 });
    const three = withoutHosterKey(two, 'host-nl', 'k1');
    expect(three.hosters[0]).toMatchObject({ lists: ['ngo'], pdqMaxDistance: 20 });
    expect(three.hosters[0]!.keys.map((key) => key.id)).toEqual(['k2']);
    expect(JSON.stringify(three)).not.toContain(first.key);
    expect(() => withoutHosterKey(three, 'host-nl', 'k1')).toThrow(/has no key k1/);
    expect(() => withHosterKey(three, 'host-nl', { id: 'k2', sha256: hashHosterKey('z') })).toThrow(
      /already has a key/,
    );
  });
});
