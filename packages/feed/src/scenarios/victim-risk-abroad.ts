// P2: enticement, trafficking or molestation with a victim; the suspect is abroad (sometimes seen
// at a home address flagged as a proxy, which must not count as a home link).
import { escalationTexts, victimRiskIncidents } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const victimRiskAbroad: Scenario = {
  name: 'victim-risk-abroad',
  tier: 'P2',
  weight: 5,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.abroad(), { proxyInHome: r.chance(0.4) });
    feed.report({
      ...feed.common(victimRiskAbroad, feed.partner()),
      incidentType: r.pick(victimRiskIncidents),
      escalation: r.chance(0.5) ? r.pick(escalationTexts) : null,
      persons: [feed.suspects.person(persona, [])],
      victims: [{ age: r.int(10, 15) }],
      files: feed.suspects.withUploadIp(feed.media.freshFiles(r.int(1, 3), {}), persona),
    });
  },
};
