import { recordExamples } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { redactRecord } from './dlq-redaction.ts';

/** Personal values, free text, URLs and file names the examples carry. */
const hiddenValues = [
  'suspect.one@example.invalid',
  '198.51.100.7',
  '2001:db8::7',
  '192.0.2.41',
  'night_owl_77',
  'sunflower_kid',
  'u-884422',
  '00000000-0000-4000-8000-000000000001',
  'https://social.example.invalid/u/night_owl_77',
  'https://files.example.invalid/share/abc123',
  'https://cdn.example.invalid/m/IMG_0001.jpg',
  'photo.jpg',
  'Example Social Ltd',
  'Example Phone 3',
  'kept text',
  'Synthetic example report.',
  'User states they will meet the child this weekend.',
];

describe('dead-letter show redaction', () => {
  it.each(['Report', 'Bundle', 'Item', 'HashedItem', 'EnrichedItem', 'Case', 'TriageAction'] as const)(
    'given an example %s, when it is redacted, then no personal value, free text, URL or file name is left',
    (name) => {
      const text = JSON.stringify(redactRecord(recordExamples[name]));
      for (const value of hiddenValues) expect(text, value).not.toContain(value);
    },
  );

  it('given a report, when it is redacted, then its ids, codes, times and structure stay readable', () => {
    const report = recordExamples.Report;
    const redacted = redactRecord(report) as Record<string, unknown>;
    expect(redacted.reportId).toBe(report.reportId);
    expect(redacted.receivedAt).toBe(report.receivedAt);
    expect(redacted.incidentType).toBe(report.incidentType);
    expect(redacted.fileIds).toEqual(report.fileIds);
    expect(redacted.reporter).toBe('[redacted]');
    expect(redacted.personsReported).toBe('[redacted] (1 entries)');
    expect(redacted.intendedRecipients).toEqual([]);
    expect(redacted.driftNotes).toEqual([
      { path: '/report/incidentSummary/newElement', kind: 'unknown_element', value: '[redacted]' },
    ]);
    // The input is not changed.
    expect(report.personsReported).toHaveLength(1);
  });

  it('given bytes and empty values, when redacted, then bytes become their length and nulls stay null', () => {
    expect(redactRecord({ key: Buffer.from('abc'), additionalInfo: null, emails: [] })).toEqual({
      key: '[binary 3 bytes]',
      additionalInfo: null,
      emails: [],
    });
  });
});
