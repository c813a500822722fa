// P1: sextortion with an escalation text, a victim, a home suspect, new images marked self-produced.
import { CSAM, ENTICEMENT, sextortionEscalationTexts } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const sextortionEscalated: Scenario = {
  name: 'sextortion-escalated',
  tiers: ['P1'],
  weight: 4,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.options.homeCountry);
    const files = feed.media.freshFiles(r.int(1, 4), {
      annotations: ['possibleSelfProduction'],
      classification: r.pick(['B1', 'B2'] as const),
    });
    feed.report({
      ...feed.common(sextortionEscalated, feed.partner()),
      incidentType: r.pick([ENTICEMENT, CSAM]),
      escalation: r.pick(sextortionEscalationTexts),
      annotations: ['sextortion'],
      persons: [feed.suspects.person(persona, [])],
      victims: [{ age: r.int(12, 16) }],
      files: feed.suspects.withUploadIp(files, persona),
    });
  },
};
