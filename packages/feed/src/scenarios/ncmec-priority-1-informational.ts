// P1 by the ncmec_priority_1 floor: an NCMEC referral of known content (category 1) from a
// suspect abroad, labelled informational, the incident over a year old, yet NCMEC priority 1 (a
// child believed in imminent danger). The dampeners leave a score in P4; the floor holds it at P1.
// JSON and ZIP only: the XSD has no NCMEC priority (nor <informational/>), so an XML feed could
// not say what makes this report P1, and never draws it.
import { tiplinePartner } from '../plan/partners.ts';
import { CSAM } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const ncmecPriority1Informational: Scenario = {
  name: 'ncmec-priority-1-informational',
  tiers: ['P1'],
  weight: 2,
  formats: ['json', 'zip'],
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.abroad());
    feed.report({
      ...feed.common(ncmecPriority1Informational, tiplinePartner),
      incidentMs: feed.oldIncidentMs(),
      incidentType: CSAM,
      ncmecPriority: 1,
      annotations: ['informational'],
      persons: [feed.suspects.person(persona, [])],
      files: feed.suspects.withUploadIp(feed.media.knownFiles(r.int(1, 3)), persona),
    });
  },
};
