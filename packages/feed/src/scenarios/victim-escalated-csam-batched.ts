// P1 by the victim_at_immediate_risk floor: a batched viral report of known memes (incident type
// child pornography, not a contact offence) that the company escalated and that records a victim;
// the suspect abroad, the incident over a year old. The dampeners leave a score in P3; the
// escalation with a recorded victim holds it at P1.
import { CSAM } from '../vocabulary.ts';
import { planEscalatedBatchedReport } from './escalated-batched-report.ts';
import type { Scenario } from './scenario.ts';

export const victimEscalatedCsamBatched: Scenario = {
  name: 'victim-escalated-csam-batched',
  tiers: ['P1'],
  weight: 2,
  plan(feed) {
    planEscalatedBatchedReport(feed, victimEscalatedCsamBatched, { incidentType: CSAM, victims: true });
  },
};
