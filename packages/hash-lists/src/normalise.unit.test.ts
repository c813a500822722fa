import { describe, expect, it } from 'vitest';
import { compactKey, compactTopicKey, expandKey } from './compact-key.ts';
import { topicKeyOf } from './import/current-list-keys.ts';
import { resolveImportOptions } from './import/import-options.ts';
import { knownHashKey, toKnownHash } from './known-hash.ts';
import {
  hashTypeFromName,
  normaliseHash,
  parseCategory,
  parseFlag,
  parseSize,
  parseTags,
} from './normalise.ts';
import type { HashEntry } from './types.ts';

describe('normalisation', () => {
  it('lower-cases hex hashes and checks their length per type', () => {
    expect(normaliseHash('MD5', ' AbC0123456789ABCDEF0123456789ABC ')).toEqual({
      ok: true,
      value: 'abc0123456789abcdef0123456789abc',
    });
    expect(normaliseHash('SHA1', 'a'.repeat(40))).toMatchObject({ ok: true });
    expect(normaliseHash('SHA256', 'a'.repeat(64))).toMatchObject({ ok: true });
    expect(normaliseHash('PDQ', 'a'.repeat(64))).toMatchObject({ ok: true });
    expect(normaliseHash('SHA1', 'a'.repeat(32))).toEqual({
      ok: false,
      message: 'SHA1 must be 40 hex digits, got 32 hex digits',
    });
    expect(normaliseHash('MD5', 'z'.repeat(32))).toEqual({
      ok: false,
      message: 'MD5 must be 32 hex digits, got characters that are not hex',
    });
    expect(normaliseHash('MD5', 12)).toMatchObject({ ok: false });
  });

  it('keeps PhotoDNA and TMK+PDQF exactly as given', () => {
    expect(normaliseHash('PHOTODNA', ' AbC+/= ')).toEqual({ ok: true, value: ' AbC+/= ' });
    expect(normaliseHash('TMK_PDQF', '1.5,2.5')).toEqual({ ok: true, value: '1.5,2.5' });
  });

  it('reads hash type names as lists spell them', () => {
    expect(['MD5', 'sha-1', 'SHA_256', 'pdq', 'PhotoDNA', 'PDNA', 'TMK+PDQF'].map(hashTypeFromName)).toEqual([
      'MD5',
      'SHA1',
      'SHA256',
      'PDQ',
      'PHOTODNA',
      'PHOTODNA',
      'TMK_PDQF',
    ]);
    expect(hashTypeFromName('CRC32')).toBeUndefined();
  });

  it('keeps Category 0, maps blank to null and refuses what is no non-negative integer', () => {
    expect(parseCategory(0)).toEqual({ ok: true, category: 0 });
    expect(parseCategory('0')).toEqual({ ok: true, category: 0 });
    expect(parseCategory(' 3 ')).toEqual({ ok: true, category: 3 });
    expect(parseCategory(null)).toEqual({ ok: true, category: null });
    expect(parseCategory('')).toEqual({ ok: true, category: null });
    expect(parseCategory(undefined)).toEqual({ ok: true, category: null });
    for (const bad of [-1, 1.5, '1a', true, {}, []]) expect(parseCategory(bad).ok, String(bad)).toBe(false);
  });

  it('reads flags from booleans, "true"/"false" in any case and 0/1; anything else is unknown', () => {
    expect([true, 'true', 'TRUE', ' True ', 1, '1'].map(parseFlag)).toEqual(Array(6).fill(true));
    expect([false, 'false', 'False', 0, '0'].map(parseFlag)).toEqual(Array(5).fill(false));
    expect([null, undefined, 'yes', 2, {}].map(parseFlag)).toEqual(Array(5).fill(null));
  });

  it('reads sizes and tags tolerantly', () => {
    expect([12, '12', ' 12 ', -1, 'x', 1.5, 2 ** 60].map(parseSize)).toEqual([
      12,
      12,
      12,
      null,
      null,
      null,
      null,
    ]);
    expect(parseTags('tag, with ] brackets')).toEqual(['tag, with ] brackets']);
    expect(parseTags(['a', { Name: 'b' }, 3, null])).toEqual(['a', 'b', '3']);
    expect(parseTags(null)).toEqual([]);
  });
});

describe('keys', () => {
  it('packs hex hashes and round-trips every kind of value', () => {
    const md5 = 'a0'.repeat(16);
    expect(compactKey('MD5', md5)).toHaveLength(17);
    const pairs = [
      { hashType: 'MD5', value: md5 },
      { hashType: 'SHA1', value: '7e'.repeat(20) },
      { hashType: 'SHA256', value: 'ff'.repeat(32) },
      { hashType: 'PDQ', value: '00'.repeat(32) },
      { hashType: 'PHOTODNA', value: 'c3ludGhldGlj+/==' },
      { hashType: 'MD5', value: 'not-hex' },
    ] as const;
    for (const pair of pairs) expect(expandKey(compactKey(pair.hashType, pair.value))).toEqual(pair);
    expect(new Set(pairs.map((pair) => compactKey(pair.hashType, pair.value))).size).toBe(pairs.length);
  });

  it('reads topic keys of one list back to the same topic key', () => {
    const key = knownHashKey('police-nl', 'SHA1', 'ab'.repeat(20));
    expect(key).toBe(`police-nl:SHA1:${'ab'.repeat(20)}`);
    const compact = compactTopicKey('police-nl', key);
    expect(compact).toBe(compactKey('SHA1', 'ab'.repeat(20)));
    expect(topicKeyOf('police-nl', compact!)).toBe(key);
    expect(compactTopicKey('police-nl-old', key)).toBeUndefined();
    expect(compactTopicKey('police', key)).toBeUndefined();
    expect(topicKeyOf('police-nl', '!police-nl:odd')).toBe('police-nl:odd');
  });

  it('stamps an entry with list, version and import time', () => {
    const entry: HashEntry = {
      hashType: 'MD5',
      value: 'a'.repeat(32),
      category: 0,
      categoryLabel: 'non-pertinent',
      source: 'vics-json',
      mediaId: '9',
      mediaSize: 10,
      series: null,
      tags: [],
      victimIdentified: null,
      offenderIdentified: null,
      isDistributed: true,
      photoDnaVerbatim: null,
      position: '/value/0',
    };
    const record = toKnownHash(entry, { listName: 'l', listVersion: 'v1', importedAt: 5 });
    expect(record).toMatchObject({
      listName: 'l',
      listVersion: 'v1',
      importedAt: 5,
      category: 0,
      mediaId: '9',
    });
    expect(record).not.toHaveProperty('position');
  });
});

describe('import options', () => {
  const base = { file: 'x.json', list: 'police-nl', dryRun: true };

  it('defaults the version to the import time and the mode to replace', () => {
    const resolved = resolveImportOptions({ ...base, clock: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    expect(resolved).toMatchObject({
      version: '2026-01-02T03:04:05.000Z',
      mode: 'replace',
      format: 'auto',
      batchSize: 1000,
      caseExport: 'reject',
    });
  });

  it.each([
    [{ list: 'a:b' }, 'list'],
    [{ list: '' }, 'list'],
    [{ version: ' ' }, 'version'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ dryRun: false }, 'connection'],
  ])('refuses %o', (override, option) => {
    expect(() => resolveImportOptions({ ...base, ...override })).toThrow(
      expect.objectContaining({ code: 'TRIAGE_HASHLIST_OPTION_INVALID', details: { option } }),
    );
  });
});
