// P3: new images (sometimes with known ones) from a suspect abroad.
import { CSAM } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const newContentAbroad: Scenario = {
  name: 'new-content-abroad',
  tiers: ['P3'],
  weight: 12,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.abroad(), { proxyInHome: r.chance(0.3) });
    const files = feed.media.freshFiles(r.int(1, 5), { classification: r.pick(['A2', 'B2', null] as const) });
    const room = feed.options.maxFiles - files.length;
    if (room > 0 && r.chance(0.4)) files.push(...feed.media.knownFiles(Math.min(room, r.int(1, 2))));
    feed.report({
      ...feed.common(newContentAbroad, feed.partner()),
      incidentType: CSAM,
      persons: [feed.suspects.person(persona, feed.priorIds())],
      files: feed.suspects.withUploadIp(files, persona),
    });
  },
};
