/**
 * Meta's PDQ defaults: the largest Hamming distance (of 256 bits) that counts as a match, and the
 * quality below which a hash is too weak to match or cluster on. The hasher's config defaults and
 * `triage explain`, which matches and clusters offline as the hasher does, both read them.
 */
export const pdqDefaults = { matchDistance: 31, minQuality: 50 } as const;
