// P4: an informational referral (JSON only: the XSD lacks the annotation) of known content from a
// suspect abroad.
import { tiplinePartner } from '../plan/partners.ts';
import { CSAM } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const informationalReferral: Scenario = {
  name: 'informational-referral',
  tiers: ['P4'],
  weight: 7,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.abroad());
    feed.report({
      ...feed.common(informationalReferral, tiplinePartner),
      incidentType: CSAM,
      annotations: ['informational'],
      persons: [feed.suspects.person(persona, [])],
      files: feed.suspects.withUploadIp(feed.media.knownFiles(r.int(1, 3)), persona),
    });
  },
};
