import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { type BundleLimits, defaultBundleLimits } from '../limits.ts';
import { createHashingMediaSink } from '../package/hashing-media-sink.ts';
import { PackageCollector, type PackageCollectorOptions } from './package-collector.ts';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('synthetic'),
]);
const other = Buffer.from('another synthetic file');

function manifest(overrides: { reports?: unknown[]; bundleRef?: string } = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      bundleRef: overrides.bundleRef ?? 'ref-1',
      reports: overrides.reports ?? [
        {
          reportId: 'r-1',
          incidentType: 'Child Sex Trafficking',
          files: [
            { fileId: 'f-1', name: 'media/a.png', hashes: [{ type: 'MD5', value: md5(png) }] },
            { fileId: 'f-2', name: 'media/b.bin', hashes: [{ type: 'SHA256', value: sha256(png) }] },
          ],
        },
      ],
    }),
  );
}

const collector = (options: Partial<PackageCollectorOptions> = {}, limits: Partial<BundleLimits> = {}) =>
  new PackageCollector({
    limits: { ...defaultBundleLimits, ...limits },
    sink: createHashingMediaSink(),
    ...options,
  });

const stream = (bytes: Buffer) => Readable.from([bytes]);

async function errorOf(run: () => unknown): Promise<TriageError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof TriageError) return error;
    throw error;
  }
  throw new Error('expected a TriageError');
}

describe('PackageCollector with a JSON manifest', () => {
  it('Given a manifest and its media, When finished, Then files carry stored-bytes facts and partner hash checks', async () => {
    const c = collector();
    await c.addMedia('media/b.bin', stream(other));
    c.addDocument('bundle.json', manifest());
    await c.addMedia('media/a.png', stream(png));
    const bundle = c.finish();
    expect(bundle).toMatchObject({ format: 'json', partnerBundleRef: 'ref-1', driftNoteCount: 0 });
    const [a, b] = bundle.reports[0]!.files;
    expect(a).toMatchObject({
      fileId: 'f-1',
      sha256: sha256(png),
      size: png.length,
      mediaType: 'image/png',
      partnerHashChecks: [{ hashType: 'MD5', status: 'match', computedValue: md5(png) }],
    });
    expect(b).toMatchObject({
      fileId: 'f-2',
      sha256: sha256(other),
      mediaType: 'application/octet-stream',
      partnerHashChecks: [{ hashType: 'SHA256', status: 'mismatch', computedValue: sha256(other) }],
    });
  });

  it('Given the request bundle ref equals the manifest one, When finished, Then it is accepted', async () => {
    const c = collector({ bundleRef: 'ref-1' });
    c.addDocument(
      'bundle.json',
      manifest({ reports: [{ reportId: 'r', incidentType: 'Child Sex Tourism' }] }),
    );
    expect(c.finish().partnerBundleRef).toBe('ref-1');
  });

  const report = (id: string, files: unknown[] = []) => ({
    reportId: id,
    incidentType: 'Child Sex Tourism',
    files,
  });

  it.each([
    {
      case: 'a file the package lacks',
      run: async (c: PackageCollector) => {
        c.addDocument('bundle.json', manifest());
        await c.addMedia('media/a.png', stream(png));
        c.finish();
      },
      code: 'TRIAGE_BUNDLE_FILE_MISSING',
      pointer: '/reports/0/files/1/name',
    },
    {
      case: 'a media entry the manifest does not name',
      run: async (c: PackageCollector) => {
        c.addDocument('bundle.json', manifest());
        await c.addMedia('media/a.png', stream(png));
        await c.addMedia('media/b.bin', stream(other));
        await c.addMedia('extra.png', stream(png));
        c.finish();
      },
      code: 'TRIAGE_BUNDLE_FILE_UNEXPECTED',
      pointer: 'extra.png',
    },
    {
      case: 'no manifest at all',
      run: async (c: PackageCollector) => {
        await c.addMedia('media/a.png', stream(png));
        c.finish();
      },
      code: 'TRIAGE_BUNDLE_MANIFEST_MISSING',
      pointer: '',
    },
    {
      case: 'two JSON manifests',
      run: (c: PackageCollector) => {
        c.addDocument('bundle.json', manifest());
        c.addDocument('other.json', manifest());
      },
      code: 'TRIAGE_BUNDLE_MANIFEST_MISSING',
      pointer: 'other.json',
    },
    {
      case: 'a report id twice',
      run: (c: PackageCollector) =>
        c.addDocument('bundle.json', manifest({ reports: [report('r'), report('r')] })),
      code: 'TRIAGE_BUNDLE_INCONSISTENT',
      pointer: '/reports/1/reportId',
    },
    {
      case: 'a file id twice in a report',
      run: (c: PackageCollector) =>
        c.addDocument(
          'bundle.json',
          manifest({
            reports: [
              report('r', [
                { fileId: 'f', name: 'a.png' },
                { fileId: 'f', name: 'b.png' },
              ]),
            ],
          }),
        ),
      code: 'TRIAGE_BUNDLE_INCONSISTENT',
      pointer: '/reports/0/files/1/fileId',
    },
    {
      case: 'a request bundle ref that disagrees with the manifest',
      run: (c: PackageCollector) => {
        c.addDocument('bundle.json', manifest({ reports: [report('r')] }));
        c.finish();
      },
      options: { bundleRef: 'ref-other' },
      code: 'TRIAGE_BUNDLE_INCONSISTENT',
      pointer: '/bundleRef',
    },
    {
      case: 'two media entries of one name',
      run: async (c: PackageCollector) => {
        await c.addMedia('a.png', stream(png));
        await c.addMedia('a.png', stream(other));
      },
      code: 'TRIAGE_BUNDLE_INCONSISTENT',
      pointer: 'a.png',
    },
    {
      case: 'a media name that climbs out',
      run: (c: PackageCollector) => c.addMedia('media/../../a.png', stream(png)),
      code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
      pointer: 'media/../../a.png',
    },
    {
      case: 'more reports than allowed',
      run: (c: PackageCollector) =>
        c.addDocument('bundle.json', manifest({ reports: [report('1'), report('2')] })),
      limits: { maxReports: 1 },
      code: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
      pointer: '/reports',
    },
    {
      case: 'more files in a report than allowed',
      run: (c: PackageCollector) => c.addDocument('bundle.json', manifest()),
      limits: { maxFilesPerReport: 1 },
      code: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
      pointer: '/reports/0/files',
    },
    {
      case: 'more media entries than allowed',
      run: async (c: PackageCollector) => {
        await c.addMedia('a.png', stream(png));
        await c.addMedia('b.png', stream(png));
      },
      limits: { maxEntries: 1 },
      code: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
      pointer: 'b.png',
    },
    {
      case: 'a document over the document limit',
      run: (c: PackageCollector) => c.addDocument('bundle.json', manifest()),
      limits: { maxDocumentBytes: 64 },
      code: 'TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE',
      pointer: 'bundle.json',
    },
  ])('Given $case, When collected, Then $code at "$pointer"', async (row) => {
    const c = collector(row.options ?? {}, row.limits ?? {});
    const error = await errorOf(() => row.run(c));
    expect(error.code).toBe(row.code);
    expect(error.pointer).toBe(row.pointer);
  });

  it('Given a media stream over maxFileBytes, When added, Then FILE_TOO_LARGE counts the actual bytes and the source is released', async () => {
    const c = collector({}, { maxFileBytes: 10 });
    const source = Readable.from([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)]);
    const error = await errorOf(() => c.addMedia('big.bin', source));
    expect(error.code).toBe('TRIAGE_BUNDLE_FILE_TOO_LARGE');
    expect(error.pointer).toBe('big.bin');
    expect(source.destroyed).toBe(true);
  });

  it('Given a sink that fails, When media is added, Then the error reaches the caller and the name stays free', async () => {
    const failing = new PackageCollector({
      limits: defaultBundleLimits,
      sink: {
        accept: async () => {
          throw new TriageError('TRIAGE_MEDIA_UNREADABLE', 'disk full');
        },
      },
    });
    expect((await errorOf(() => failing.addMedia('a.png', stream(png)))).code).toBe(
      'TRIAGE_MEDIA_UNREADABLE',
    );
  });
});

const reportXml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<report>
  <incidentSummary>
    <incidentType>Child Sex Trafficking</incidentType>
    <incidentDateTime>2026-11-20T21:14:00Z</incidentDateTime>
  </incidentSummary>
  <internetDetails><webPageIncident><url>https://host.example/a</url></webPageIncident></internetDetails>
  <reporter><reportingPerson><email>staff@example.com</email></reportingPerson></reporter>
</report>`);

function fileDetailsXml(
  reportId: string,
  fileId: string,
  names: { fileName?: string; originalFileName?: string } = {},
) {
  return Buffer.from(
    `<fileDetails><reportId>${reportId}</reportId><fileId>${fileId}</fileId>` +
      (names.fileName === undefined ? '' : `<fileName>${names.fileName}</fileName>`) +
      (names.originalFileName === undefined
        ? ''
        : `<originalFileName>${names.originalFileName}</originalFileName>`) +
      '</fileDetails>',
  );
}

describe('PackageCollector with CyberTipline XML', () => {
  it('Given fileDetails naming entries by fileName, fileId and originalFileName, When finished, Then each finds its entry', async () => {
    const c = collector({ bundleRef: 'key-1' });
    c.addDocument('report.xml', reportXml);
    c.addDocument(
      'fd-1.xml',
      fileDetailsXml('77', 'f-1', { fileName: 'IMG_1.png', originalFileName: 'nope.png' }),
    );
    c.addDocument('fd-2.xml', fileDetailsXml('77', 'f-2'));
    c.addDocument('fd-3.xml', fileDetailsXml('77', 'f-3', { originalFileName: 'mypic.jpg' }));
    await c.addMedia('uploads/IMG_1.png', stream(png));
    await c.addMedia('f-2', stream(other));
    await c.addMedia('deep/er/mypic.jpg', stream(Buffer.from('third')));
    const bundle = c.finish();
    expect(bundle).toMatchObject({ format: 'xml', partnerBundleRef: 'key-1' });
    const [report] = bundle.reports;
    expect(report!.partnerReportId).toBe('77');
    expect(report!.pointer).toBe('report.xml#/report');
    expect(report!.fields.incidentType).toBe('CHILD_SEX_TRAFFICKING');
    expect(report!.files.map((file) => [file.fileId, file.sha256])).toEqual([
      ['f-1', sha256(png)],
      ['f-2', sha256(other)],
      ['f-3', sha256(Buffer.from('third'))],
    ]);
  });

  it('Given no fileDetails, When finished, Then the report id is the request one, else derived from the document', () => {
    const withRequestId = collector({ reportId: '4242' });
    withRequestId.addDocument('report.xml', reportXml);
    expect(withRequestId.finish().reports[0]!.partnerReportId).toBe('4242');

    const derived = collector();
    derived.addDocument('report.xml', reportXml);
    const bundle = derived.finish();
    expect(bundle.reports[0]!.partnerReportId).toBe(`xml-${sha256(reportXml).slice(0, 16)}`);
    expect(bundle.partnerBundleRef).toBeNull();
  });

  it.each([
    {
      case: 'fileDetails of another report',
      run: (c: PackageCollector) => {
        c.addDocument('fd-1.xml', fileDetailsXml('77', 'f-1'));
        c.addDocument('fd-2.xml', fileDetailsXml('78', 'f-2'));
      },
      code: 'TRIAGE_BUNDLE_INCONSISTENT',
      pointer: 'fd-2.xml#/fileDetails/reportId',
    },
    {
      case: 'fileDetails that disagree with the request report id',
      options: { reportId: '1' },
      run: (c: PackageCollector) => c.addDocument('fd-1.xml', fileDetailsXml('77', 'f-1')),
      code: 'TRIAGE_BUNDLE_INCONSISTENT',
      pointer: 'fd-1.xml#/fileDetails/reportId',
    },
    {
      case: 'one file id in two fileDetails',
      run: (c: PackageCollector) => {
        c.addDocument('fd-1.xml', fileDetailsXml('77', 'f-1'));
        c.addDocument('fd-2.xml', fileDetailsXml('77', 'f-1'));
      },
      code: 'TRIAGE_BUNDLE_INCONSISTENT',
      pointer: 'fd-2.xml#/fileDetails/fileId',
    },
    {
      case: 'a base name that matches two entries',
      run: async (c: PackageCollector) => {
        c.addDocument('report.xml', reportXml);
        c.addDocument('fd-1.xml', fileDetailsXml('77', 'f-1', { fileName: 'a.png' }));
        await c.addMedia('x/a.png', stream(png));
        await c.addMedia('y/a.png', stream(other));
        c.finish();
      },
      code: 'TRIAGE_BUNDLE_INCONSISTENT',
      pointer: 'fd-1.xml#/fileDetails',
    },
    {
      case: 'fileDetails whose file is not in the package',
      run: async (c: PackageCollector) => {
        c.addDocument('report.xml', reportXml);
        c.addDocument('fd-1.xml', fileDetailsXml('77', 'f-1', { fileName: 'a.png' }));
        await c.addMedia('b.png', stream(png));
        c.finish();
      },
      code: 'TRIAGE_BUNDLE_FILE_MISSING',
      pointer: 'fd-1.xml#/fileDetails',
    },
    {
      case: 'fileDetails without a report',
      run: (c: PackageCollector) => {
        c.addDocument('fd-1.xml', fileDetailsXml('77', 'f-1'));
        c.finish();
      },
      code: 'TRIAGE_BUNDLE_MANIFEST_MISSING',
      pointer: '',
    },
    {
      case: 'two report documents',
      run: (c: PackageCollector) => {
        c.addDocument('a.xml', reportXml);
        c.addDocument('b.xml', reportXml);
      },
      code: 'TRIAGE_BUNDLE_MANIFEST_MISSING',
      pointer: 'b.xml',
    },
    {
      case: 'fileDetails next to a JSON manifest',
      run: (c: PackageCollector) => {
        c.addDocument('bundle.json', manifest());
        c.addDocument('fd-1.xml', fileDetailsXml('77', 'f-1'));
      },
      code: 'TRIAGE_BUNDLE_INCONSISTENT',
      pointer: 'fd-1.xml',
    },
    {
      case: 'an XML document with another root element',
      run: (c: PackageCollector) =>
        c.addDocument('image.xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')),
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'image.xml#/',
    },
  ])('Given $case, When collected, Then $code at "$pointer"', async (row) => {
    const c = collector(row.options ?? {});
    const error = await errorOf(() => row.run(c));
    expect(error.code).toBe(row.code);
    expect(error.pointer).toBe(row.pointer);
  });

  it('Given a document that is not XML, When added, Then the XML parser says why', async () => {
    const error = await errorOf(() => collector().addDocument('report.xml', Buffer.from('not xml at all')));
    expect(error.code).toBe('TRIAGE_BUNDLE_XML_MALFORMED');
  });
});
