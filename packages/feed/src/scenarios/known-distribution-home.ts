// P3: a home suspect distributing only known content (exact MD5 or members of a listed family).
import { CSAM } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const knownDistributionHome: Scenario = {
  name: 'known-distribution-home',
  tiers: ['P3'],
  weight: 14,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.options.homeCountry);
    feed.report({
      ...feed.common(knownDistributionHome, feed.partner()),
      incidentType: CSAM,
      persons: [feed.suspects.person(persona, feed.priorIds())],
      files: feed.suspects.withUploadIp(feed.media.knownFiles(r.int(1, 8)), persona),
    });
  },
};
