import type { PartnerHash, PartnerHashCheck } from '@triage/schemas';
import type { StoredMedia } from '../parsed-bundle.ts';

/** Hash types intake computes itself, by the spellings partners use. */
const computed: Record<string, (media: StoredMedia) => string> = {
  MD5: (media) => media.md5,
  SHA1: (media) => media.sha1,
  SHA256: (media) => media.sha256,
};

/**
 * Compares each partner hash with the stored bytes' digest: MD5, SHA1 and SHA256 (also spelt
 * SHA-1, SHA-256) are `match` or `mismatch`; every other type is `unchecked`. A mismatch is
 * recorded, never fatal: the bytes' own sha256 stays the identity.
 */
export function checkPartnerHashes(hashes: readonly PartnerHash[], media: StoredMedia): PartnerHashCheck[] {
  return hashes.map((hash) => {
    const digest = computed[hash.hashType.toUpperCase().replaceAll('-', '')];
    if (digest === undefined) {
      return { hashType: hash.hashType, partnerValue: hash.value, computedValue: null, status: 'unchecked' };
    }
    const computedValue = digest(media);
    return {
      hashType: hash.hashType,
      partnerValue: hash.value,
      computedValue,
      status: hash.value.trim().toLowerCase() === computedValue ? 'match' : 'mismatch',
    };
  });
}
