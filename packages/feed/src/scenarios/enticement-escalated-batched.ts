// P1 by the escalated_contact_offence floor: an escalated enticement sent as a batched viral
// report of known memes, no victim recorded, the suspect abroad, the incident over a year old.
// Every dampener at once (batched, viral, known content, an old incident) leaves a score in P4;
// the escalation on a contact offence holds it at P1 (issue 9 part 5).
import { ENTICEMENT } from '../vocabulary.ts';
import { planEscalatedBatchedReport } from './escalated-batched-report.ts';
import type { Scenario } from './scenario.ts';

export const enticementEscalatedBatched: Scenario = {
  name: 'enticement-escalated-batched',
  tiers: ['P1'],
  weight: 2,
  plan(feed) {
    planEscalatedBatchedReport(feed, enticementEscalatedBatched, {
      incidentType: ENTICEMENT,
      victims: false,
    });
  },
};
