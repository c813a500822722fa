// P2 (P1 when escalated): enticement, trafficking or molestation with a victim; the suspect is abroad (sometimes seen
// at a home address flagged as a proxy, which must not count as a home link). Half are escalated:
// those are P1, held there by the escalated_contact_offence floor whatever their points.
import { escalationTexts, victimRiskIncidents } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const victimRiskAbroad: Scenario = {
  name: 'victim-risk-abroad',
  tiers: ['P2', 'P1'],
  weight: 5,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.abroad(), { proxyInHome: r.chance(0.4) });
    const common = feed.common(victimRiskAbroad, feed.partner());
    const incidentType = r.pick(victimRiskIncidents);
    const escalation = r.chance(0.5) ? r.pick(escalationTexts) : null;
    feed.report({
      ...common,
      tier: escalation === null ? 'P2' : 'P1',
      incidentType,
      escalation,
      persons: [feed.suspects.person(persona, [])],
      victims: [{ age: r.int(10, 15) }],
      files: feed.suspects.withUploadIp(feed.media.freshFiles(r.int(1, 3), {}), persona),
    });
  },
};
