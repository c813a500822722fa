// Issue 15 (report erasure, ADR 0020): a media document of a file another report still carries.
import { describe, expect, it } from 'vitest';
import type { MediaDocument } from './media-document.ts';
import { mediaWithoutReport } from './report-documents.ts';

const doc: MediaDocument = {
  sha256: 'a'.repeat(64),
  md5: null,
  sha1: null,
  pdq: null,
  pdqSegments: [],
  pdqQuality: null,
  clusterId: null,
  nearestSha256: null,
  nearestDistance: null,
  firstSeenReportId: 'p:erased',
  firstSeenItemId: 'p:erased/f1',
  firstSeenAt: 1,
  sightings: 2,
  reportIds: ['p:erased', 'p:kept'],
  reportIdsTruncated: false,
};

describe('mediaWithoutReport', () => {
  it('given the erased report first saw the file, then it leaves the report ids and the first sighting', () => {
    expect(mediaWithoutReport(doc, 'p:erased')).toMatchObject({
      reportIds: ['p:kept'],
      firstSeenReportId: null,
      firstSeenItemId: null,
      sightings: 2,
    });
  });

  it('given another report first saw the file, then only the report id goes', () => {
    const rewritten = mediaWithoutReport(doc, 'p:kept');
    expect(rewritten.reportIds).toEqual(['p:erased']);
    expect(rewritten.firstSeenReportId).toBe('p:erased');
  });
});
