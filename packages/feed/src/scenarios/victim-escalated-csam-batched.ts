// P1 by the victim_at_immediate_risk floor: a batched viral report of known memes (incident type
// child pornography, not a contact offence) that the company escalated and that records a victim;
// the suspect abroad, the incident over a year old. The dampeners leave a score in P3; the
// escalation with a recorded victim holds it at P1.
import { CSAM, escalationTexts } from '../vocabulary.ts';
import type { Scenario } from './scenario.ts';

export const victimEscalatedCsamBatched: Scenario = {
  name: 'victim-escalated-csam-batched',
  tiers: ['P1'],
  weight: 2,
  plan(feed) {
    const r = feed.random;
    const persona = feed.suspects.persona(feed.abroad());
    feed.report({
      ...feed.common(victimEscalatedCsamBatched, feed.partner()),
      incidentMs: feed.oldIncidentMs(),
      incidentType: CSAM,
      escalation: r.pick(escalationTexts),
      batched: true,
      persons: [feed.suspects.person(persona, [])],
      victims: [{ age: r.int(10, 15) }],
      files: feed.suspects.withUploadIp(feed.media.viralMemeFiles(r.int(3, 6)), persona),
    });
  },
};
