// The content store's environment: parsing keys, the write-key rule, and keys never reaching a log.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '@triage/config';
import { createLogger } from '@triage/logging';
import { describe, expect, it } from 'vitest';
import { checkContentStoreConfig, contentStoreEnv, contentStoreOptionsFromConfig } from './index.ts';

const load = (env: Record<string, string>) => loadConfig(contentStoreEnv, env, checkContentStoreConfig);
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const keys = `2026-01:${keyA.toString('base64')}, 2026-07:${keyB.toString('base64')}`;

function failure(env: Record<string, string>): Error {
  try {
    load(env);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the config to be refused');
}

describe('contentStoreEnv', () => {
  it('given no keys, then the store is plain under the default root', () => {
    expect(contentStoreOptionsFromConfig(load({}))).toEqual({ root: '.data/content' });
    expect(contentStoreOptionsFromConfig(load({ CONTENT_STORE_KEYS: ' , ' }))).toEqual({
      root: '.data/content',
    });
  });

  it('given keys and a write key id, then the store encrypts with every key readable', () => {
    const options = contentStoreOptionsFromConfig(
      load({
        CONTENT_STORE_ROOT: '/srv/media',
        CONTENT_STORE_KEYS: keys,
        CONTENT_STORE_WRITE_KEY_ID: '2026-07',
      }),
    );
    expect(options.root).toBe('/srv/media');
    expect(options.encryption?.writeKeyId).toBe('2026-07');
    expect([...(options.encryption?.keys ?? new Map()).entries()]).toEqual([
      ['2026-01', keyA],
      ['2026-07', keyB],
    ]);
  });

  it.each([
    ['keys without a write key id', { CONTENT_STORE_KEYS: keys }, /CONTENT_STORE_WRITE_KEY_ID: required/],
    [
      'a write key id that is not configured',
      { CONTENT_STORE_KEYS: keys, CONTENT_STORE_WRITE_KEY_ID: '2027-01' },
      /CONTENT_STORE_WRITE_KEY_ID: "2027-01" is not a key id in CONTENT_STORE_KEYS \(configured: 2026-01, 2026-07\)/,
    ],
    [
      'a write key id without keys',
      { CONTENT_STORE_WRITE_KEY_ID: '2026-01' },
      /CONTENT_STORE_WRITE_KEY_ID: set, but/,
    ],
    [
      'a key that is not 32 bytes',
      {
        CONTENT_STORE_KEYS: `short:${randomBytes(16).toString('base64')}`,
        CONTENT_STORE_WRITE_KEY_ID: 'short',
      },
      /CONTENT_STORE_KEYS: entry 1: key "short" is not the base64 of 32 bytes/,
    ],
    [
      'a key that is not base64',
      { CONTENT_STORE_KEYS: `k1:${'!'.repeat(44)}`, CONTENT_STORE_WRITE_KEY_ID: 'k1' },
      /CONTENT_STORE_KEYS: entry 1: key "k1" is not the base64/,
    ],
    [
      'an entry without a key id',
      { CONTENT_STORE_KEYS: keyA.toString('base64'), CONTENT_STORE_WRITE_KEY_ID: 'k1' },
      /CONTENT_STORE_KEYS: entry 1: expected keyId:base64/,
    ],
    [
      'a key id listed twice',
      {
        CONTENT_STORE_KEYS: `${keys},2026-01:${keyB.toString('base64')}`,
        CONTENT_STORE_WRITE_KEY_ID: '2026-01',
      },
      /CONTENT_STORE_KEYS: entry 3: key id "2026-01" is listed twice/,
    ],
  ])('given %s, then loading names the variable and quotes no key', (_name, env, message) => {
    const error = failure(env);
    expect(error).toMatchObject({ code: 'TRIAGE_CONFIG_INVALID' });
    expect(error.message).toMatch(message);
    for (const key of [keyA, keyB]) expect(error.message).not.toContain(key.toString('base64'));
    expect(error.message).not.toContain('!!!!');
  });

  it('given a config that skipped the check, then building options still refuses it', () => {
    const config = loadConfig(contentStoreEnv, { CONTENT_STORE_KEYS: keys });
    expect(() => contentStoreOptionsFromConfig(config)).toThrow(/CONTENT_STORE_WRITE_KEY_ID/);
  });

  it('given a config or env with keys is logged, then no key reaches the log line', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ name: 'test', destination });
    const env = { CONTENT_STORE_KEYS: keys, CONTENT_STORE_WRITE_KEY_ID: '2026-07' };
    const config = load(env);
    logger.info({ config, env, options: contentStoreOptionsFromConfig(config) }, 'starting');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toContain('2026-07');
    for (const key of [keyA, keyB]) {
      expect(line).not.toContain(key.toString('base64'));
      expect(line).not.toContain(key.toString('hex'));
      expect(line).not.toContain(JSON.stringify([...key]).slice(1, 40));
    }
  });
});
