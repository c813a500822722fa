import { describe, expect, it } from 'vitest';
import { FeedBuilder } from '../plan/feed-builder.ts';
import { DAY } from '../plan/timestamps.ts';
import type { PlanOptions } from '../types.ts';
import { CSAM, contactOffenceIncidents } from '../vocabulary.ts';
import { victimEscalatedCsamBatched } from './victim-escalated-csam-batched.ts';

const options: PlanOptions = { seed: 6, reports: 50, maxFiles: 20, reportsPerBundle: 10, homeCountry: 'DE' };

describe('victim-escalated-csam-batched', () => {
  it('given many seeds, when planned, then an escalated, batched CSAM report recording one victim, no contact offence, a suspect abroad and an old incident', () => {
    for (let seed = 0; seed < 20; seed++) {
      const feed = new FeedBuilder({ ...options, seed });
      victimEscalatedCsamBatched.plan(feed, 10);
      expect(feed.reports).toHaveLength(1);
      const report = feed.reports[0]!;
      expect(report).toMatchObject({ incidentType: CSAM, batched: true, intendedRecipients: [] });
      // The victim_at_immediate_risk floor, not escalated_contact_offence, must be what holds it.
      expect(contactOffenceIncidents).not.toContain(report.incidentType);
      expect(report.victims).toHaveLength(1);
      expect(report.escalateToHighPriority).toMatch(/\S/);
      expect(report.personsReported[0]!.estimatedLocation?.countryCode).not.toBe('DE');
      expect(feed.asOfMs - Date.parse(report.incidentDateTime)).toBeGreaterThanOrEqual(380 * DAY);
      for (const file of report.files) {
        expect(feed.media.get(file.mediaKey).origin).toBe('meme');
        expect(file.fileAnnotations).toEqual(['viral', 'potentialMeme']);
      }
    }
  });
});
