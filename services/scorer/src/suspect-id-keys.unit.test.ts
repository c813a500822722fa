import { describe, expect, it } from 'vitest';
import { loadScorerConfig } from './config.ts';
import { developmentSuspectIdKey, suspectIdKeys } from './suspect-id-keys.ts';

const secret = 'a-shared-secret-of-at-least-32-chars';
const keysOf = (env: Record<string, string>) => suspectIdKeys(loadScorerConfig(env));

describe('suspectIdKeys', () => {
  it('given no key, when the scorer starts, then it refuses, naming the variable', () => {
    expect(() => keysOf({})).toThrow(/SUSPECT_ID_HMAC_KEY/);
  });

  it('given no key and development explicitly enabled, then the documented development key', () => {
    expect(keysOf({ SUSPECT_ID_HMAC_DEVELOPMENT_KEY: 'true' })).toEqual({ key: developmentSuspectIdKey });
  });

  it('given a key, then it is used under its id, the development flag notwithstanding', () => {
    expect(keysOf({ SUSPECT_ID_HMAC_KEY: secret, SUSPECT_ID_HMAC_DEVELOPMENT_KEY: 'true' })).toEqual({
      key: { id: 'k1', secret: Buffer.from(secret) },
    });
  });

  it('given a rotation, then the second key needs its own id', () => {
    const rotation = { SUSPECT_ID_HMAC_KEY: secret, SUSPECT_ID_HMAC_SECOND_KEY: `${secret}-2` };
    expect(() => keysOf(rotation)).toThrow(/SECOND_KEY_ID/);
    expect(() => keysOf({ ...rotation, SUSPECT_ID_HMAC_SECOND_KEY_ID: 'k1' })).toThrow(/SECOND_KEY_ID/);
    expect(keysOf({ ...rotation, SUSPECT_ID_HMAC_SECOND_KEY_ID: 'k2' })).toEqual({
      key: { id: 'k1', secret: Buffer.from(secret) },
      secondKey: { id: 'k2', secret: Buffer.from(`${secret}-2`) },
    });
  });

  it.each([
    ['SUSPECT_ID_HMAC_KEY', 'too-short'],
    ['SUSPECT_ID_HMAC_KEY_ID', 'k:1'],
  ])('given %s=%j, when loaded, then the variable is named in the error', (name, value) => {
    expect(() => loadScorerConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
