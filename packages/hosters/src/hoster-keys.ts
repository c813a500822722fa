import { randomBytes } from 'node:crypto';
import { hashPartnerKey } from '@triage/partners';

const keyPrefix = 'thk_';

/**
 * A new hoster key: 256 random bits, told apart from partner keys by its prefix. Only its sha256
 * is stored (the same fast hash as partner keys: the key is random, not a password).
 */
export function createHosterKey(): { key: string; sha256: string } {
  const key = `${keyPrefix}${randomBytes(32).toString('base64url')}`;
  return { key, sha256: hashPartnerKey(key) };
}

export { hashPartnerKey as hashHosterKey };
