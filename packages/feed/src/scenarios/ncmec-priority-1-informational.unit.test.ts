import { describe, expect, it } from 'vitest';
import { FeedBuilder } from '../plan/feed-builder.ts';
import { tiplinePartner } from '../plan/partners.ts';
import { DAY } from '../plan/timestamps.ts';
import type { PlanOptions } from '../types.ts';
import { CSAM } from '../vocabulary.ts';
import { ncmecPriority1Informational } from './ncmec-priority-1-informational.ts';

const options: PlanOptions = { seed: 2, reports: 50, maxFiles: 20, reportsPerBundle: 10, homeCountry: 'NL' };

describe('ncmec-priority-1-informational', () => {
  it('given the table, when read, then it is drawn for JSON and ZIP feeds only (the XSD has no NCMEC priority)', () => {
    expect(ncmecPriority1Informational.formats).toEqual(['json', 'zip']);
  });

  it('given many seeds, when planned, then an NCMEC referral from the tipline: priority 1, informational, 1-3 known files, a suspect abroad, an old incident, no victim', () => {
    for (let seed = 0; seed < 20; seed++) {
      const feed = new FeedBuilder({ ...options, seed });
      ncmecPriority1Informational.plan(feed, 10);
      expect(feed.reports).toHaveLength(1);
      const report = feed.reports[0]!;
      expect(report).toMatchObject({
        partnerId: tiplinePartner.partnerId,
        incidentType: CSAM,
        ncmecPriority: 1,
        reportAnnotations: ['informational'],
        escalateToHighPriority: null,
        batched: false,
        victims: [],
      });
      expect(report.personsReported[0]!.estimatedLocation?.countryCode).not.toBe('NL');
      expect(feed.asOfMs - Date.parse(report.incidentDateTime)).toBeGreaterThanOrEqual(380 * DAY);
      expect(report.files.length).toBeGreaterThanOrEqual(1);
      expect(report.files.length).toBeLessThanOrEqual(3);
      for (const file of report.files) {
        const media = feed.media.get(file.mediaKey);
        expect(media.origin === 'known-pool' || media.origin === 'family').toBe(true);
      }
    }
  });
});
