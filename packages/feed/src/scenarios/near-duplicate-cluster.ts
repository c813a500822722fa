// P3: two or three reports sharing the members of one unlisted image family (the original and
// its resize, re-encode, crop, rotation and flip), each report at least one member.
import { nearDuplicateEditNames, variantKey } from '../plan/media-catalogue.ts';
import { CSAM } from '../vocabulary.ts';
import { hotlineNewUrl } from './hotline-new-url.ts';
import type { Scenario } from './scenario.ts';

/**
 * Deals `members` over `size` reports: the first `size` members one each, so every member is a
 * near-duplicate of another report's; the rest to random reports, while they have room.
 */
export function dealMembers(
  members: readonly string[],
  size: number,
  maxFiles: number,
  pickReport: () => number,
): string[][] {
  const shares: string[][] = Array.from({ length: size }, () => []);
  members.forEach((key, index) => {
    const share = shares[index < size ? index : pickReport()]!;
    if (share.length < maxFiles) share.push(key);
  });
  return shares;
}

export const nearDuplicateCluster: Scenario = {
  name: 'near-duplicate-cluster',
  tiers: ['P3'],
  weight: 5,
  plan(feed, remaining) {
    const r = feed.random;
    const size = Math.min(remaining, r.int(2, 3));
    // One report is no cluster: the last slot of a feed goes to a single report instead.
    if (size < 2) {
      hotlineNewUrl.plan(feed, remaining);
      return;
    }
    const family = feed.media.addFamily(null, null);
    const members = [
      family.originalKey,
      ...r
        .sample(nearDuplicateEditNames, nearDuplicateEditNames.length)
        .map((edit) => variantKey(family, edit)),
    ];
    const shares = dealMembers(members, size, feed.options.maxFiles, () => r.int(0, size - 1));
    for (const share of shares) {
      const persona = feed.suspects.persona(r.chance(0.5) ? feed.options.homeCountry : feed.abroad());
      feed.report({
        ...feed.common(nearDuplicateCluster, feed.partner()),
        incidentType: CSAM,
        persons: [feed.suspects.person(persona, [])],
        files: feed.suspects.withUploadIp(
          share.map((mediaKey) => ({ mediaKey })),
          persona,
        ),
      });
    }
  },
};
