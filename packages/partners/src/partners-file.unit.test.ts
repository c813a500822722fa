import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { hashPartnerKey } from './partner-keys.ts';
import { parsePartnersFile, scopesOf, withKey, withoutKey } from './partners-file.ts';

const sha = (seed: string) => hashPartnerKey(seed);

describe('partners file', () => {
  it('given a partner without rate limit, when parsed, then the default limit applies', () => {
    const file = parsePartnersFile(
      JSON.stringify({ partners: [{ partnerId: 'hotline-nl', keys: [{ id: 'k1', sha256: sha('a') }] }] }),
      'partners.json',
    );
    expect(file.partners[0]!.rateLimit).toEqual({ max: 60, timeWindow: 60_000 });
    expect(file.partners[0]!.quota).toBeUndefined();
  });

  it('given a partner with a daily quota, when parsed, then the quota is kept as written', () => {
    const quota = { bundlesPerDay: 500, reportsPerDay: 20_000, bytesPerDay: 50 * 1024 ** 3 };
    const file = parsePartnersFile(JSON.stringify({ partners: [{ partnerId: 'p', keys: [], quota }] }), 'f');
    expect(file.partners[0]!.quota).toEqual(quota);
  });

  it.each([
    ['an unknown key', { partners: [{ partnerId: 'p', keys: [], secret: 'x' }] }, '/partners/0'],
    ['a partner id with a colon', { partners: [{ partnerId: 'a:b', keys: [] }] }, '/partners/0/partnerId'],
    [
      'a key that is not a sha256',
      { partners: [{ partnerId: 'p', keys: [{ id: 'k', sha256: 'abc' }] }] },
      '/partners/0/keys/0/sha256',
    ],
    [
      'the same key for two partners',
      {
        partners: [
          { partnerId: 'p', keys: [{ id: 'k', sha256: sha('a') }] },
          { partnerId: 'q', keys: [{ id: 'k', sha256: sha('a') }] },
        ],
      },
      '/partners/1/keys/0/sha256',
    ],
    [
      'a quota of zero bundles',
      { partners: [{ partnerId: 'p', keys: [], quota: { bundlesPerDay: 0 } }] },
      '/partners/0/quota/bundlesPerDay',
    ],
    [
      'an unknown quota',
      { partners: [{ partnerId: 'p', keys: [], quota: { filesPerDay: 3 } }] },
      '/partners/0/quota',
    ],
    [
      'an unknown scope',
      { partners: [{ partnerId: 'p', keys: [{ id: 'k', sha256: sha('a'), scopes: ['admin'] }] }] },
      '/partners/0/keys/0/scopes/0',
    ],
    [
      'an empty scope list',
      { partners: [{ partnerId: 'p', keys: [{ id: 'k', sha256: sha('a'), scopes: [] }] }] },
      '/partners/0/keys/0/scopes',
    ],
    [
      'a scope named twice',
      {
        partners: [{ partnerId: 'p', keys: [{ id: 'k', sha256: sha('a'), scopes: ['hotline', 'hotline'] }] }],
      },
      '/partners/0/keys/0/scopes',
    ],
    [
      'a bad expiry',
      { partners: [{ partnerId: 'p', keys: [{ id: 'k', sha256: sha('a'), notAfter: 'soon' }] }] },
      '/partners/0/keys/0/notAfter',
    ],
  ])('given %s, when parsed, then TRIAGE_CONFIG_INVALID names %s', (_case, content, path) => {
    let caught: unknown;
    try {
      parsePartnersFile(JSON.stringify(content), 'partners.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TriageError);
    expect((caught as TriageError).code).toBe('TRIAGE_CONFIG_INVALID');
    expect((caught as TriageError).message).toContain(path);
  });

  it('given keys with and without scopes, when parsed, then a key naming none may send bundles only', () => {
    const file = parsePartnersFile(
      JSON.stringify({
        partners: [
          {
            partnerId: 'hotline-nl',
            keys: [
              { id: 'old', sha256: sha('a') },
              { id: 'hotline', sha256: sha('b'), scopes: ['hotline'] },
              { id: 'both', sha256: sha('c'), scopes: ['bundles', 'hotline'] },
            ],
          },
        ],
      }),
      'partners.json',
    );
    const [old, hotline, both] = file.partners[0]!.keys;
    expect(scopesOf(old!)).toEqual(['bundles']);
    expect(scopesOf(hotline!)).toEqual(['hotline']);
    expect(scopesOf(both!)).toEqual(['bundles', 'hotline']);
    // An older key is written back as it was: no scopes field appears in the file.
    expect(old).not.toHaveProperty('scopes');
  });

  it('given a new partner, when a key is added and another removed, then only the hashes change', () => {
    const one = withKey({ partners: [] }, 'hotline-nl', { id: 'k1', sha256: sha('a') });
    const two = withKey(one, 'hotline-nl', { id: 'k2', sha256: sha('b'), notAfter: '2027-01-01T00:00:00Z' });
    expect(two.partners[0]!.keys.map((key) => key.id)).toEqual(['k1', 'k2']);
    const three = withoutKey(two, 'hotline-nl', 'k1');
    expect(three.partners[0]!.keys.map((key) => key.id)).toEqual(['k2']);
    expect(() => withoutKey(three, 'hotline-nl', 'k1')).toThrow(/has no key k1/);
    expect(() => withKey(three, 'hotline-nl', { id: 'k2', sha256: sha('c') })).toThrow(
      /already has a key k2/,
    );
  });
});
