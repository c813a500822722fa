// P4: a batched report (reason VIRAL_POTENTIAL_MEME) of many copies of known memes and a few of
// their near-duplicates: 3 to 3000 files.
import type { FileDraft } from '../plan/drafts.ts';
import { familyMemberKeys } from '../plan/media-catalogue.ts';
import type { Random } from '../random.ts';
import { CSAM } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

/** Mostly a handful of files; a few hundred sometimes; thousands rarely. */
export function viralFileCount(random: Random): number {
  const draw = random.next();
  if (draw < 0.6) return random.int(3, 30);
  if (draw < 0.9) return random.int(31, 300);
  return random.int(301, 3000);
}

export const viralBatched: Scenario = {
  name: 'viral-batched',
  tiers: ['P4'],
  weight: 14,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(r.chance(0.3) ? feed.options.homeCountry : feed.abroad());
    const count = Math.min(feed.options.maxFiles, viralFileCount(r));
    // Mostly exact copies of the memes; a few near-duplicates (family members, each once per report).
    const members = r.sample(
      feed.media.memeFamilies.flatMap(familyMemberKeys),
      Math.min(12, Math.floor(count * 0.15)),
    );
    const files: FileDraft[] = [];
    for (let index = 0; index < count; index++) {
      const mediaKey = index < members.length ? members[index]! : r.pick(feed.media.memes);
      files.push({
        mediaKey,
        annotations: r.chance(0.7) ? ['viral', 'potentialMeme'] : ['potentialMeme'],
        classification: r.chance(0.5) ? 'B2' : null,
      });
    }
    feed.report({
      ...feed.common(viralBatched, feed.partner()),
      incidentType: CSAM,
      batched: true,
      persons: [feed.suspects.person(persona, [])],
      files: feed.suspects.withUploadIp(r.sample(files, files.length), persona),
    });
  },
};
