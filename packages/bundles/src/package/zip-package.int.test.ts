import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { TriageError } from '@triage/errors';
import {
  centralOffsets,
  localOffsets,
  makeZip,
  patchCentralRecord,
  patchLocalHeader,
  renameEntry,
  syntheticImage,
  type ZipEntrySpec,
} from '@triage/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageCollector } from '../assembly/package-collector.ts';
import { type BundleLimits, defaultBundleLimits } from '../limits.ts';
import type { AssembledBundle } from '../parsed-bundle.ts';
import { readDirectoryPackage } from './directory-package.ts';
import { createHashingMediaSink } from './hashing-media-sink.ts';
import { readZipPackage } from './zip-package.ts';

const ncmec = fileURLToPath(new URL('../../../../../shared/data/ncmec/', import.meta.url));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

let scratch: string;
let imageA: Buffer;
let imageB: Buffer;
let report61: Buffer;
let fileDetails63: Buffer;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'bundles-zip-'));
  imageA = await syntheticImage(1, 64, 48);
  imageB = await syntheticImage(2, 64, 48);
  report61 = await readFile(path.join(ncmec, 'ncmec-doc-6.1-report.xml'));
  fileDetails63 = await readFile(path.join(ncmec, 'ncmec-doc-6.3-fileDetails.xml'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function manifest(files: { fileId: string; name: string }[] = defaultFiles): Buffer {
  return Buffer.from(
    JSON.stringify({
      bundleRef: 'zip-test-0001',
      reports: [
        {
          reportId: 'r-1',
          incidentType: 'Child Sex Trafficking',
          internetDetails: [{ type: 'webPage', urls: ['https://host.example/page'] }],
          files: files.map((file) => ({ ...file, hashes: [{ type: 'MD5', value: md5(imageA) }] })),
        },
      ],
    }),
  );
}
const defaultFiles = [
  { fileId: 'f-1', name: 'media/a.png' },
  { fileId: 'f-2', name: 'media/b.png' },
];

const goodEntries = (): ZipEntrySpec[] => [
  { name: 'bundle.json', data: manifest() },
  { name: 'media/a.png', data: imageA },
  { name: 'media/b.png', data: imageB, compress: false },
];

let zipCount = 0;
async function writeZip(bytes: Buffer): Promise<string> {
  const file = path.join(scratch, `package-${zipCount++}.zip`);
  await writeFile(file, bytes);
  return file;
}

async function readZip(
  file: string,
  limits: Partial<BundleLimits> = {},
  options = {},
): Promise<AssembledBundle> {
  const all = { ...defaultBundleLimits, ...limits };
  const collector = new PackageCollector({ limits: all, sink: createHashingMediaSink(), ...options });
  await readZipPackage(file, collector, all);
  return collector.finish();
}

async function errorOf(run: () => Promise<unknown>): Promise<TriageError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof TriageError) return error;
    throw error;
  }
  throw new Error('expected a TriageError');
}

describe('readZipPackage: a good package', () => {
  it('Given a JSON package with synthetic images and OS noise, When read, Then every file is hashed and matched, noise skipped', async () => {
    const zip = await makeZip([
      ...goodEntries(),
      { name: '__MACOSX/media/._a.png', data: Buffer.from('resource fork') },
      { name: 'media/.DS_Store', data: Buffer.from('finder') },
    ]);
    const bundle = await readZip(await writeZip(zip));
    expect(bundle.partnerBundleRef).toBe('zip-test-0001');
    const files = bundle.reports[0]!.files;
    expect(files.map((f) => [f.fileId, f.sha256, f.size, f.mediaType])).toEqual([
      ['f-1', sha256(imageA), imageA.length, 'image/png'],
      ['f-2', sha256(imageB), imageB.length, 'image/png'],
    ]);
    expect(files[0]!.partnerHashChecks[0]!.status).toBe('match');
    expect(files[1]!.partnerHashChecks[0]!.status).toBe('mismatch');
  });

  it("Given NCMEC's 6.1 report and 6.3 fileDetails with an image named as its originalFileName, When read, Then one report with that file", async () => {
    const zip = await makeZip([
      { name: 'report.xml', data: report61 },
      { name: 'fileDetails-1.xml', data: fileDetails63 },
      { name: 'files/mypic.jpg', data: imageA },
    ]);
    const bundle = await readZip(await writeZip(zip), {}, { bundleRef: 'idempotency-key-1' });
    expect(bundle.format).toBe('xml');
    expect(bundle.partnerBundleRef).toBe('idempotency-key-1');
    expect(bundle.reports).toHaveLength(1);
    const [report] = bundle.reports;
    expect(report!.partnerReportId).toBe('4564654');
    expect(report!.fields.incidentType).toBe('CHILD_PORNOGRAPHY');
    expect(report!.files).toHaveLength(1);
    expect(report!.files[0]).toMatchObject({
      fileId: 'b0754af766b426f2928a02c651ed4b99',
      originalFileName: 'mypic.jpg',
      sha256: sha256(imageA),
      additionalInfo: 'File was originally posted with 6 others',
    });
  });
});

describe('readZipPackage: bounded memory', () => {
  it('Given a 1 MiB media entry, When read, Then the sink gets it as a stream of small chunks, never whole', async () => {
    const big = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    const zip = await makeZip([
      { name: 'bundle.json', data: manifest([{ fileId: 'f-1', name: 'media/big.bin' }]) },
      { name: 'media/big.bin', data: big },
    ]);
    const chunkSizes: number[] = [];
    const sink = createHashingMediaSink();
    const collector = new PackageCollector({
      limits: defaultBundleLimits,
      sink: {
        async accept(name, bytes) {
          const counted = (async function* () {
            for await (const chunk of bytes) {
              chunkSizes.push(chunk.length);
              yield chunk;
            }
          })();
          return sink.accept(name, Readable.from(counted));
        },
      },
    });
    await readZipPackage(await writeZip(zip), collector, defaultBundleLimits);
    expect(collector.finish().reports[0]!.files[0]!.sha256).toBe(sha256(big));
    expect(chunkSizes.reduce((a, b) => a + b, 0)).toBe(big.length);
    expect(chunkSizes.length).toBeGreaterThan(4);
    expect(Math.max(...chunkSizes)).toBeLessThanOrEqual(256 * 1024);
  });
});

/** A package with one entry renamed after yazl wrote it (yazl refuses unsafe names). */
const renamed = async (from: string, to: string) =>
  renameEntry(await makeZip([...goodEntries(), { name: from, data: imageA }]), from, to);

const withCentral = async (entries: ZipEntrySpec[], name: string, edit: (record: Buffer) => void) =>
  patchCentralRecord(await makeZip(entries), name, edit);

interface BadCase {
  case: string;
  zip: () => Promise<Buffer>;
  limits?: Partial<BundleLimits>;
  code: string;
  pointer: string;
}

const zeros = Buffer.alloc(2 * 1024 * 1024);

const badCases: BadCase[] = [
  {
    case: 'a name that climbs out with ..',
    zip: () => renamed('xx/evil.png', '../evil.png'),
    code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
    pointer: '../evil.png',
  },
  {
    case: 'an absolute name',
    zip: () => renamed('xevil.png', '/evil.png'),
    code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
    pointer: '/evil.png',
  },
  {
    case: 'a backslash in a name',
    zip: () => renamed('media_evil.png', 'media\\evil.png'),
    code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
    pointer: 'media\\evil.png',
  },
  {
    case: 'a drive letter',
    zip: () => renamed('Cxevil.png', 'C:evil.png'),
    code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
    pointer: 'C:evil.png',
  },
  {
    case: 'a NUL in a name',
    zip: () => renamed('evil_.png', 'evil\u0000.png'),
    code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
    pointer: 'evil\u0000.png',
  },
  {
    case: 'more entries than allowed',
    zip: () => makeZip([...goodEntries(), { name: 'media/c.png', data: imageA }]),
    limits: { maxEntries: 3 },
    code: 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
    pointer: '',
  },
  {
    case: 'an entry over the compression ratio (2 MiB of zeros)',
    zip: () => makeZip([...goodEntries(), { name: 'media/zeros.bin', data: zeros }]),
    code: 'TRIAGE_BUNDLE_ZIP_BOMB',
    pointer: 'media/zeros.bin',
  },
  {
    case: 'entries over the total uncompressed size',
    zip: () => makeZip(goodEntries()),
    limits: { maxUncompressedBytes: 1000 },
    code: 'TRIAGE_BUNDLE_ZIP_BOMB',
    pointer: 'media/a.png',
  },
  {
    case: 'headers (central and local alike) that understate what the entry inflates to',
    zip: async () =>
      patchLocalHeader(
        await withCentral(
          [
            {
              name: 'bundle.json',
              data: manifest([...defaultFiles, { fileId: 'f-3', name: 'media/c.bin' }]),
            },
            ...goodEntries().slice(1),
            { name: 'media/c.bin', data: Buffer.alloc(50_000, 7) },
          ],
          'media/c.bin',
          (r) => r.writeUInt32LE(100, centralOffsets.uncompressedSize),
        ),
        'media/c.bin',
        (h) => h.writeUInt32LE(100, localOffsets.uncompressedSize),
      ),
    code: 'TRIAGE_BUNDLE_ZIP_BOMB',
    pointer: 'media/c.bin',
  },
  {
    // Issue 11: the central directory alone understating the size is a local-header disagreement.
    case: 'a central record whose size disagrees with its local header',
    zip: () =>
      withCentral(
        [...goodEntries(), { name: 'media/c.bin', data: Buffer.alloc(50_000, 7) }],
        'media/c.bin',
        (r) => r.writeUInt32LE(100, centralOffsets.uncompressedSize),
      ),
    code: 'TRIAGE_BUNDLE_ZIP_INVALID',
    pointer: 'media/c.bin',
  },
  {
    case: 'an encrypted entry',
    zip: () =>
      withCentral(goodEntries(), 'media/a.png', (r) =>
        r.writeUInt16LE(r.readUInt16LE(centralOffsets.flags) | 0x1, centralOffsets.flags),
      ),
    code: 'TRIAGE_BUNDLE_ZIP_INVALID',
    pointer: 'media/a.png',
  },
  {
    case: 'an unsupported compression method (bzip2)',
    zip: () => withCentral(goodEntries(), 'media/a.png', (r) => r.writeUInt16LE(12, centralOffsets.method)),
    code: 'TRIAGE_BUNDLE_ZIP_INVALID',
    pointer: 'media/a.png',
  },
  {
    case: 'a truncated file',
    zip: async () => {
      const zip = await makeZip(goodEntries());
      return zip.subarray(0, zip.length - 40);
    },
    code: 'TRIAGE_BUNDLE_ZIP_INVALID',
    pointer: '',
  },
  {
    // Both headers patched: the CRC is checked on the inflated bytes, not only header to header.
    case: 'an entry whose bytes fail the CRC',
    zip: async () =>
      patchLocalHeader(
        await withCentral(goodEntries(), 'media/b.png', (r) =>
          r.writeUInt32LE(0xdeadbeef, centralOffsets.crc32),
        ),
        'media/b.png',
        (h) => h.writeUInt32LE(0xdeadbeef, localOffsets.crc32),
      ),
    code: 'TRIAGE_BUNDLE_ZIP_INVALID',
    pointer: 'media/b.png',
  },
  {
    case: 'a file the manifest names but the ZIP lacks',
    zip: () => makeZip(goodEntries().filter((e) => e.name !== 'media/b.png')),
    code: 'TRIAGE_BUNDLE_FILE_MISSING',
    pointer: '/reports/0/files/1/name',
  },
  {
    case: 'a file the manifest does not name',
    zip: () => makeZip([...goodEntries(), { name: 'media/c.png', data: imageA }]),
    code: 'TRIAGE_BUNDLE_FILE_UNEXPECTED',
    pointer: 'media/c.png',
  },
  {
    case: 'two entries with one name',
    zip: () => makeZip([...goodEntries(), { name: 'media/a.png', data: imageB }]),
    code: 'TRIAGE_BUNDLE_INCONSISTENT',
    pointer: 'media/a.png',
  },
  {
    case: 'no manifest',
    zip: () => makeZip(goodEntries().filter((e) => e.name !== 'bundle.json')),
    code: 'TRIAGE_BUNDLE_MANIFEST_MISSING',
    pointer: '',
  },
  {
    case: 'two manifests (bundle.json and a report XML)',
    zip: async () => makeZip([...goodEntries(), { name: 'report.xml', data: report61 }]),
    code: 'TRIAGE_BUNDLE_MANIFEST_MISSING',
    pointer: 'report.xml',
  },
  {
    case: 'a manifest over the document limit',
    zip: () => makeZip(goodEntries()),
    limits: { maxDocumentBytes: 100 },
    code: 'TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE',
    pointer: 'bundle.json',
  },
  {
    case: 'a media entry over the file limit',
    zip: () => makeZip(goodEntries()),
    limits: { maxFileBytes: 1000 },
    code: 'TRIAGE_BUNDLE_FILE_TOO_LARGE',
    pointer: 'media/a.png',
  },
  {
    case: 'a ZIP over the bundle limit',
    zip: () => makeZip(goodEntries()),
    limits: { maxBundleBytes: 1000 },
    code: 'TRIAGE_BUNDLE_TOO_LARGE',
    pointer: '',
  },
  {
    case: 'an invalid manifest (unknown key)',
    zip: () =>
      makeZip([
        {
          name: 'bundle.json',
          data: Buffer.from(
            JSON.stringify({
              bundleRef: 'x',
              reports: [{ reportId: 'r', incidentType: 'Child Sex Tourism' }],
              unknown: 1,
            }),
          ),
        },
      ]),
    code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
    pointer: '/unknown',
  },
];

describe('readZipPackage: bad packages, one row per case', () => {
  it.each(badCases)('Given $case, When read, Then $code at "$pointer"', async (row) => {
    const file = await writeZip(await row.zip());
    const error = await errorOf(() => readZip(file, row.limits ?? {}));
    expect(error.code).toBe(row.code);
    expect(error.pointer).toBe(row.pointer);
  });
});

describe('readDirectoryPackage', () => {
  async function folder(entries: ZipEntrySpec[]): Promise<string> {
    const dir = path.join(scratch, `dir-${zipCount++}`);
    for (const entry of entries) {
      await mkdir(path.dirname(path.join(dir, entry.name)), { recursive: true });
      await writeFile(path.join(dir, entry.name), entry.data);
    }
    return dir;
  }

  async function readDir(dir: string): Promise<AssembledBundle> {
    const collector = new PackageCollector({ limits: defaultBundleLimits, sink: createHashingMediaSink() });
    await readDirectoryPackage(dir, collector, defaultBundleLimits);
    return collector.finish();
  }

  it('Given a folder laid out like the ZIP package, When read, Then it assembles the same files', async () => {
    const dir = await folder([...goodEntries(), { name: '.DS_Store', data: Buffer.from('finder') }]);
    const bundle = await readDir(dir);
    expect(bundle.reports[0]!.files.map((f) => f.sha256)).toEqual([sha256(imageA), sha256(imageB)]);
  });

  it('Given a symbolic link in the folder, When read, Then PATH_UNSAFE names it', async () => {
    const dir = await folder(goodEntries());
    await symlink('/etc/hostname', path.join(dir, 'media', 'link.png'));
    const error = await errorOf(() => readDir(dir));
    expect(error.code).toBe('TRIAGE_BUNDLE_PATH_UNSAFE');
    expect(error.pointer).toBe('media/link.png');
  });
});
