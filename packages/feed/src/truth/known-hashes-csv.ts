// The demo known-hash list of a feed, as `triage hashes import` reads it.
import type { MediaDigest } from '../ground-truth.ts';
import type { FeedPlan } from '../types.ts';

/** The label of every demo entry, in place of the category's usual name: these images are synthetic. */
const DEMO_LABEL = 'synthetic demo';

/**
 * The demo known-hash list in the CSV that `triage hashes import` reads: the MD5 of the known-pool
 * and meme images the feed uses, and the PDQ of the originals of its known families.
 */
export function knownHashesCsv(
  plan: FeedPlan,
  digests: ReadonlyMap<string, MediaDigest>,
  familyPdq: ReadonlyMap<string, string>,
): string {
  const rows: string[] = [];
  for (const media of plan.media.values()) {
    if (media.knownMd5Category !== null)
      rows.push(`${digests.get(media.key)!.md5},MD5,${media.knownMd5Category},${DEMO_LABEL}`);
  }
  for (const family of plan.families) {
    if (family.knownPdqCategory !== null)
      rows.push(`${familyPdq.get(family.id)!},PDQ,${family.knownPdqCategory},${DEMO_LABEL}`);
  }
  return [
    `# Demo known-hash list of the synthetic feed (seed ${plan.seed}): generated images, nothing real.`,
    'hash,type,category,label',
    ...rows,
    '',
  ].join('\n');
}
