import { createHash } from 'node:crypto';
import {
  type Bundle,
  type BundledReport,
  createCodec,
  type InternetDetail,
  type Report,
  type ReportFile,
  recordExamples,
} from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { reportedUrls, splitBundle } from './split-bundle.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const exampleBundle = recordExamples.Bundle;
const exampleReport = exampleBundle.reports[0]!.report;
const exampleFile = exampleBundle.reports[0]!.files[0]!;

function webPage(urls: string[]): InternetDetail {
  return { ...exampleReport.internetDetails[0]!, urls };
}

function file(fileId: string, overrides: Partial<ReportFile> = {}): ReportFile {
  return { ...exampleFile, fileId, sha256: sha256(fileId), partnerHashChecks: [], ...overrides };
}

/** A bundled report whose itemCount and fileIds agree with its files and URLs, unless overridden. */
function bundled(
  partnerReportId: string,
  files: ReportFile[],
  urls: string[],
  overrides: Partial<Report> = {},
): BundledReport {
  const report: Report = {
    ...exampleReport,
    reportId: `partner-a:${partnerReportId}`,
    partnerReportId,
    internetDetails: urls.length > 0 ? [webPage(urls)] : [],
    itemCount: files.length + new Set(urls).size,
    fileIds: files.map((each) => each.fileId),
    driftNotes: [],
    ...overrides,
  };
  return { report, files };
}

function bundleOf(...reports: BundledReport[]): Bundle {
  return { ...exampleBundle, reports };
}

describe('splitBundle', () => {
  it('given the example bundle, when split, then one report and an item per file and per URL', () => {
    const { reports, items, statuses } = splitBundle(exampleBundle);

    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual({ ...exampleReport, itemCount: 2, fileIds: ['f-1'] });
    expect(items.map((item) => [item.itemId, item.kind, item.itemIndex, item.itemCount])).toEqual([
      ['partner-a:CT-000123/f-1', 'file', 0, 2],
      ['partner-a:CT-000123/url:0', 'url', 1, 2],
    ]);
    expect(statuses.map((status) => [status.reportId, status.fileCount, status.itemCount])).toEqual([
      ['partner-a:CT-000123', 1, 2],
    ]);
  });

  it('given a file with every field set, when split, then its item carries each field unchanged', () => {
    const { items } = splitBundle(exampleBundle);
    const item = items[0]!;

    for (const [field, value] of Object.entries(exampleFile)) {
      expect(item[field as keyof typeof item], field).toEqual(value);
    }
    // The example sets the fields an analyst and the scorer rely on, so the loop above checks real values.
    expect(item).toMatchObject({
      fileAnnotations: ['possibleSelfProduction'],
      industryClassification: 'B2',
      fileViewedByEsp: true,
      exifViewedByEsp: false,
      uploadIpEvent: { ipAddress: '192.0.2.41', eventName: 'Upload' },
      url: null,
    });
    expect(item.partnerHashes).toHaveLength(1);
    expect(item.details).toHaveLength(2);
  });

  it('given a report, when split, then each item carries the report id, version, partner, bundle and receipt time', () => {
    const { items } = splitBundle(exampleBundle);

    for (const item of items) {
      expect(item).toMatchObject({
        reportId: exampleReport.reportId,
        reportVersion: exampleReport.version,
        partnerId: exampleReport.partnerId,
        bundleId: exampleReport.bundleId,
        receivedAt: exampleReport.receivedAt,
      });
    }
  });

  it('given URLs in several incident entries with a repeat, when split, then one URL item per distinct URL in order after the files', () => {
    const report = bundled('R-urls', [file('f-1'), file('f-2')], [], {
      internetDetails: [
        webPage(['https://a.example.invalid/1', 'https://b.example.invalid/2']),
        webPage(['https://a.example.invalid/1', 'https://c.example.invalid/3']),
      ],
      itemCount: 5,
    });

    const { items, reports } = splitBundle(bundleOf(report));

    expect(items.map((item) => [item.itemId, item.itemIndex, item.url])).toEqual([
      ['partner-a:R-urls/f-1', 0, null],
      ['partner-a:R-urls/f-2', 1, null],
      ['partner-a:R-urls/url:0', 2, 'https://a.example.invalid/1'],
      ['partner-a:R-urls/url:1', 3, 'https://b.example.invalid/2'],
      ['partner-a:R-urls/url:2', 4, 'https://c.example.invalid/3'],
    ]);
    expect(reports[0]?.itemCount).toBe(5);
    expect(items.every((item) => item.itemCount === 5)).toBe(true);
    const urlItem = items[2]!;
    expect(urlItem).toMatchObject({
      kind: 'url',
      fileId: null,
      sha256: null,
      partnerHashes: [],
      details: [],
    });
  });

  it('given a report with no files and no URLs, when split, then it is still a report, with no items and itemCount 0', () => {
    const empty = bundled('R-empty', [], []);

    const { reports, items, statuses } = splitBundle(bundleOf(empty));

    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ reportId: 'partner-a:R-empty', itemCount: 0, fileIds: [] });
    expect(items).toEqual([]);
    expect(statuses).toEqual([
      {
        reportId: 'partner-a:R-empty',
        partnerReportId: 'R-empty',
        version: exampleReport.version,
        fileCount: 0,
        itemCount: 0,
        errors: [],
      },
    ]);
  });

  it('given a viral report with 2 000 files, when split, then 2 000 distinct items indexed 0..1999', () => {
    const files = Array.from({ length: 2000 }, (_, index) => file(`v-${index}`));
    const viral = bundled('R-viral', files, [], { batched: true, batchedReason: 'VIRAL_POTENTIAL_MEME' });

    const { reports, items, statuses } = splitBundle(bundleOf(viral));

    expect(reports[0]).toMatchObject({
      itemCount: 2000,
      batched: true,
      batchedReason: 'VIRAL_POTENTIAL_MEME',
    });
    expect(items).toHaveLength(2000);
    expect(new Set(items.map((item) => item.itemId)).size).toBe(2000);
    expect(items.map((item) => item.itemIndex)).toEqual(Array.from({ length: 2000 }, (_, index) => index));
    expect(items[1999]).toMatchObject({ itemId: 'partner-a:R-viral/v-1999', sha256: sha256('v-1999') });
    expect(statuses[0]).toMatchObject({ fileCount: 2000, itemCount: 2000, errors: [] });
  });

  it('given several reports, when split, then reports, items and statuses keep bundle order', () => {
    const bundle = bundleOf(
      bundled('R-1', [file('a')], ['https://x.example.invalid/']),
      bundled('R-2', [], []),
      bundled('R-3', [file('b'), file('c')], []),
    );

    const { reports, items, statuses } = splitBundle(bundle);

    expect(reports.map((report) => report.reportId)).toEqual([
      'partner-a:R-1',
      'partner-a:R-2',
      'partner-a:R-3',
    ]);
    expect(statuses.map((status) => status.reportId)).toEqual(reports.map((report) => report.reportId));
    expect(items.map((item) => item.itemId)).toEqual([
      'partner-a:R-1/a',
      'partner-a:R-1/url:0',
      'partner-a:R-3/b',
      'partner-a:R-3/c',
    ]);
  });

  it('given the same bundle twice, once after an Avro round trip, when split, then the records are identical', () => {
    const codec = createCodec();
    const bundle = bundleOf(
      exampleBundle.reports[0]!,
      bundled('R-2', [file('a'), file('b', { sha256: null })], ['https://x.example.invalid/']),
    );
    const replayed = codec.decode('Bundle', codec.encode('Bundle', bundle));

    const first = splitBundle(bundle);
    const second = splitBundle(replayed);

    expect(second).toEqual(first);
    // Byte for byte on the wire as well.
    expect(second.items.map((item) => codec.encode('Item', item))).toEqual(
      first.items.map((item) => codec.encode('Item', item)),
    );
    expect(second.reports.map((report) => codec.encode('Report', report))).toEqual(
      first.reports.map((report) => codec.encode('Report', report)),
    );
  });

  it('given a bundle whose itemCount disagrees, when split, then the computed count wins and an issue says so', () => {
    const wrong = bundled('R-count', [file('a')], ['https://x.example.invalid/'], { itemCount: 7 });

    const { reports, items, statuses } = splitBundle(bundleOf(wrong));

    expect(reports[0]?.itemCount).toBe(2);
    expect(items.map((item) => item.itemCount)).toEqual([2, 2]);
    expect(statuses[0]?.itemCount).toBe(2);
    expect(statuses[0]?.errors).toEqual([
      {
        code: 'item_count_corrected',
        pointer: '/reports/0/itemCount',
        message: 'bundle said 7 items; the report has 2 (files plus distinct URLs)',
      },
    ]);
  });

  it('given fileIds out of step with the files, when split, then fileIds follow the files and an issue says so', () => {
    const wrong = bundled('R-ids', [file('a'), file('b')], [], { fileIds: ['b', 'a'] });

    const { reports, statuses } = splitBundle(bundleOf(wrong));

    expect(reports[0]?.fileIds).toEqual(['a', 'b']);
    expect(statuses[0]?.errors.map((issue) => [issue.code, issue.pointer])).toEqual([
      ['file_ids_corrected', '/reports/0/fileIds'],
    ]);
  });

  it('given mismatching partner hashes, drift notes and a file without bytes, when split, then one issue each', () => {
    const mismatching = file('f-bad', {
      partnerHashes: [
        { hashType: 'MD5', value: 'aa'.repeat(16) },
        { hashType: 'SHA1', value: 'bb'.repeat(20) },
        { hashType: 'PDQ', value: 'cc'.repeat(32) },
      ],
      partnerHashChecks: [
        {
          hashType: 'MD5',
          partnerValue: 'aa'.repeat(16),
          computedValue: 'dd'.repeat(16),
          status: 'mismatch',
        },
        { hashType: 'SHA1', partnerValue: 'bb'.repeat(20), computedValue: 'bb'.repeat(20), status: 'match' },
        { hashType: 'PDQ', partnerValue: 'cc'.repeat(32), computedValue: null, status: 'unchecked' },
      ],
    });
    const missing = file('f-missing', { sha256: null, size: null, mediaType: null });
    const report = bundled('R-issues', [file('f-ok'), mismatching, missing], [], {
      driftNotes: [
        { path: '/report/incidentSummary/reportAnnotations/newFlag', kind: 'unknown_element', value: null },
        { path: '/report/reporter/@tier', kind: 'unknown_attribute', value: 'gold' },
      ],
    });

    const { statuses, items } = splitBundle(bundleOf(bundled('R-first', [], []), report));

    expect(statuses[0]?.errors).toEqual([]);
    expect(statuses[1]?.errors).toEqual([
      {
        code: 'schema_drift',
        pointer: '/report/incidentSummary/reportAnnotations/newFlag',
        message: 'unknown_element kept as a drift note',
      },
      {
        code: 'schema_drift',
        pointer: '/report/reporter/@tier',
        message: 'unknown_attribute kept as a drift note',
      },
      {
        code: 'partner_hash_mismatch',
        pointer: '/reports/1/files/1/hashes/0',
        message: 'MD5 given for file f-bad differs from the stored bytes',
      },
      {
        code: 'file_bytes_missing',
        pointer: '/reports/1/files/2',
        message: 'file f-missing was listed but its bytes never arrived',
      },
    ]);
    // Issues never stop a file from becoming an item.
    expect(items.map((item) => item.itemId)).toEqual([
      'partner-a:R-issues/f-ok',
      'partner-a:R-issues/f-bad',
      'partner-a:R-issues/f-missing',
    ]);
    expect(items[2]).toMatchObject({ sha256: null, kind: 'file' });
  });

  it('given more issues than the cap, when split, then the first ones are listed and one issue counts the rest', () => {
    const files = Array.from({ length: 8 }, (_, index) => file(`m-${index}`, { sha256: null }));

    const { statuses } = splitBundle(bundleOf(bundled('R-many', files, [])), { maxIssuesPerReport: 5 });

    const errors = statuses[0]!.errors;
    expect(errors).toHaveLength(6);
    expect(errors.slice(0, 5).map((issue) => issue.pointer)).toEqual(
      Array.from({ length: 5 }, (_, index) => `/reports/0/files/${index}`),
    );
    expect(errors[5]).toEqual({
      code: 'issues_truncated',
      pointer: null,
      message: '3 further issues not listed',
    });
  });

  it('given two files with the same id, when split, then both become items with distinct ids and an issue names the repeat', () => {
    const report = bundled(
      'R-dup',
      [file('same'), file('other'), file('same', { sha256: sha256('second') })],
      [],
    );

    const { items, statuses } = splitBundle(bundleOf(report));

    expect(items.map((item) => item.itemId)).toEqual([
      'partner-a:R-dup/same',
      'partner-a:R-dup/other',
      'partner-a:R-dup/same#2',
    ]);
    expect(items[2]?.sha256).toBe(sha256('second'));
    expect(statuses[0]?.errors.map((issue) => [issue.code, issue.pointer])).toEqual([
      ['file_id_duplicate', '/reports/0/files/2/fileId'],
    ]);
  });
});

describe('reportedUrls', () => {
  it('given URLs across incident entries, when listed, then each distinct URL once in first-seen order', () => {
    const report: Report = {
      ...exampleReport,
      internetDetails: [
        webPage([]),
        webPage(['https://b.example.invalid/', 'https://a.example.invalid/']),
        webPage(['https://b.example.invalid/', 'https://B.example.invalid/']),
      ],
    };

    expect(reportedUrls(report)).toEqual([
      'https://b.example.invalid/',
      'https://a.example.invalid/',
      // Compared as sent: normalising URLs is not the splitter's call.
      'https://B.example.invalid/',
    ]);
  });
});
