import { createHash } from 'node:crypto';
import { type Bundle, createCodec, type ReportFile } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { parseJsonManifest } from '../json/parse-json-manifest.ts';
import type { AssembledBundle } from '../parsed-bundle.ts';
import { type BundleEnvelope, bundleContentDigest, toBundleRecord } from './bundle-record.ts';
import { bundleIdFor, reportIdFor } from './ids.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** An assembled bundle built from a parsed manifest, as the collector would make it. */
function assembled(): AssembledBundle {
  const manifest = parseJsonManifest(
    Buffer.from(
      JSON.stringify({
        bundleRef: 'ref-1',
        reports: [
          {
            reportId: 'r-1',
            incidentType: 'Child Sex Trafficking',
            internetDetails: [
              { type: 'webPage', urls: ['https://a.example/1', 'https://a.example/2'] },
              { type: 'webPage', urls: ['https://a.example/1'] },
            ],
            files: [
              { fileId: 'f-1', name: 'a.png', hashes: [{ type: 'MD5', value: 'aa' }] },
              { fileId: 'f-2', name: 'b.png' },
            ],
          },
          { reportId: 'r-2', incidentType: 'Child Sex Tourism' },
        ],
      }),
    ),
    'bundle.json',
  );
  return {
    format: manifest.format,
    partnerBundleRef: manifest.partnerBundleRef,
    driftNoteCount: 0,
    reports: manifest.reports.map((report) => ({
      partnerReportId: report.partnerReportId,
      pointer: report.pointer,
      fields: report.fields,
      files: report.files.map(
        (file): ReportFile => ({
          ...file.fields,
          sha256: sha256(file.entryName),
          size: 10,
          mediaType: 'image/png',
          partnerHashChecks: [],
        }),
      ),
    })),
  };
}

const envelope: BundleEnvelope = {
  partnerId: 'hotline-nl',
  partnerBundleRef: 'ref-1',
  receivedAt: Date.UTC(2026, 10, 28, 9, 0),
  format: 'zip',
  sourceSha256: sha256('zip bytes'),
  versionOf: (reportId) => (reportId === 'hotline-nl:r-2' ? 3 : 1),
};

describe('ids', () => {
  it('Given a partner and a bundle ref, When the bundle id is made, Then it is bndl- and 24 hex of sha256(partner\\nref)', () => {
    expect(bundleIdFor('hotline-nl', 'ref-1')).toBe(`bndl-${sha256('hotline-nl\nref-1').slice(0, 24)}`);
    expect(bundleIdFor('hotline-nl', 'ref-1')).toBe(bundleIdFor('hotline-nl', 'ref-1'));
    expect(bundleIdFor('hotline-nl', 'ref-2')).not.toBe(bundleIdFor('hotline-nl', 'ref-1'));
    // The separator keeps "a" + "b\nc" apart from "a\nb" + "c".
    expect(bundleIdFor('a', 'bc')).not.toBe(bundleIdFor('ab', 'c'));
  });

  it('Given a partner and its report id, When the report id is made, Then it is partner:report', () => {
    expect(reportIdFor('hotline-nl', '100234')).toBe('hotline-nl:100234');
  });
});

describe('toBundleRecord', () => {
  it('Given an assembled bundle, When the envelope is added, Then ids, versions, item counts and file ids are set', () => {
    const bundle = toBundleRecord(assembled(), envelope);
    expect(bundle).toMatchObject({
      bundleId: bundleIdFor('hotline-nl', 'ref-1'),
      partnerId: 'hotline-nl',
      partnerBundleRef: 'ref-1',
      format: 'zip',
      driftNotes: [],
    });
    const [first, second] = bundle.reports;
    expect(first!.report).toMatchObject({
      reportId: 'hotline-nl:r-1',
      partnerReportId: 'r-1',
      version: 1,
      bundleId: bundle.bundleId,
      receivedAt: envelope.receivedAt,
      incidentType: 'CHILD_SEX_TRAFFICKING',
      // two files + two distinct URLs
      itemCount: 4,
      fileIds: ['f-1', 'f-2'],
    });
    expect(first!.files.map((file) => file.fileId)).toEqual(['f-1', 'f-2']);
    expect(second!.report).toMatchObject({
      reportId: 'hotline-nl:r-2',
      version: 3,
      itemCount: 0,
      fileIds: [],
    });
  });

  it('Given the record, When encoded with the Bundle Avro schema and decoded, Then it comes back equal', () => {
    const codec = createCodec();
    const bundle = toBundleRecord(assembled(), envelope);
    expect(codec.decode('Bundle', codec.encode('Bundle', bundle))).toEqual(bundle);
  });
});

describe('bundleContentDigest', () => {
  const digest = (change: (bundle: Bundle) => unknown = () => {}, env = envelope) => {
    const bundle = toBundleRecord(assembled(), env);
    change(bundle);
    return bundleContentDigest(bundle);
  };

  it('Given the same content received twice, When digested, Then the digests are equal whatever the envelope', () => {
    expect(digest()).toMatch(/^[0-9a-f]{64}$/);
    expect(
      digest(undefined, { ...envelope, receivedAt: envelope.receivedAt + 60_000, format: 'multipart' }),
    ).toBe(digest());
    expect(digest(undefined, { ...envelope, versionOf: () => 7, sourceSha256: null })).toBe(digest());
  });

  it('Given a key order that differs, When digested, Then the digest is the same', () => {
    const reordered = digest((bundle) => {
      const report = bundle.reports[0]!.report;
      bundle.reports[0]!.report = Object.fromEntries(Object.entries(report).reverse()) as typeof report;
    });
    expect(reordered).toBe(digest());
  });

  it.each([
    {
      case: 'a file with other bytes',
      change: (b: Bundle) => {
        b.reports[0]!.files[0]!.sha256 = sha256('other');
      },
    },
    {
      case: 'another incident type',
      change: (b: Bundle) => {
        b.reports[1]!.report.incidentType = 'UNKNOWN';
      },
    },
    { case: 'a report left out', change: (b: Bundle) => b.reports.pop() },
    { case: 'files in another order', change: (b: Bundle) => b.reports[0]!.files.reverse() },
    {
      case: 'one more annotation',
      change: (b: Bundle) => b.reports[0]!.report.reportAnnotations.push('spam'),
    },
  ])('Given $case, When digested, Then the digest differs', ({ change }) => {
    expect(digest(change)).not.toBe(digest());
  });
});
