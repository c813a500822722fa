import { type Bundle, recordExamples } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { splitBundle } from './split-bundle.ts';
import { splitBundleStatus, splitStatusKey } from './split-status.ts';

const example = recordExamples.Bundle;
const exampleBundled = example.reports[0]!;
const exampleFile = exampleBundled.files[0]!;

describe('splitBundleStatus', () => {
  it('given a split bundle, when its status is built, then it is a split status with the bundle facts and file totals', () => {
    const bundle: Bundle = {
      ...example,
      reports: [
        exampleBundled,
        {
          report: { ...exampleBundled.report, reportId: 'partner-a:R-2', partnerReportId: 'R-2' },
          files: [
            { ...exampleFile, fileId: 'a', size: 1_000 },
            // Bytes never arrived: counted as a file, adds no bytes.
            { ...exampleFile, fileId: 'b', sha256: null, size: null },
          ],
        },
      ],
    };
    const { statuses } = splitBundle(bundle);

    const status = splitBundleStatus(bundle, statuses, { contentDigest: 'd'.repeat(64), updatedAt: 1_234 });

    expect(status).toEqual({
      bundleId: example.bundleId,
      partnerId: example.partnerId,
      partnerBundleRef: example.partnerBundleRef,
      receivedAt: example.receivedAt,
      contentDigest: 'd'.repeat(64),
      format: example.format,
      stage: 'split',
      updatedAt: 1_234,
      fileCount: 3,
      newFileCount: 0,
      byteCount: exampleFile.size! + 1_000,
      reports: statuses,
    });
    // The second report: two files and the example's one URL.
    expect(status.reports.map((report) => report.itemCount)).toEqual([2, 3]);
  });

  it('given a bundle id, when keyed, then the split status key differs from the receipt key (the bundle id)', () => {
    expect(splitStatusKey('bndl-0123')).toBe('bndl-0123#split');
  });
});
