import { createHash, randomBytes } from 'node:crypto';

const keyPrefix = 'tpk_';

/**
 * A new partner API key: 256 random bits. Only its sha256 is stored; a fast hash is enough
 * because the key is random, not a password (no dictionary to try, nothing for a slow KDF to add).
 */
export function createPartnerKey(): { key: string; sha256: string } {
  const key = `${keyPrefix}${randomBytes(32).toString('base64url')}`;
  return { key, sha256: hashPartnerKey(key) };
}

export function hashPartnerKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
