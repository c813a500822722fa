// Issue 11, item 1: every ZIP bomb construction, built byte by byte in memory (@triage/testkit's
// crafted ZIPs) and read from the buffer, is refused before a single media byte reaches the sink.
import { TriageError } from '@triage/errors';
import {
  centralFor,
  craftZip,
  honestZip,
  hostileManifest,
  lyingDeclaredSize,
  lyingLocalHeader,
  manySmallEntries,
  overlappingEntries,
  quotedOverlapBomb,
  sharedLocalBomb,
  zipEntry,
} from '@triage/testkit';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { PackageCollector } from '../assembly/package-collector.ts';
import { type BundleLimits, defaultBundleLimits } from '../limits.ts';
import type { MediaSink } from '../parsed-bundle.ts';
import { readZipArchive, zipOptions } from './zip-package.ts';

const MiB = 1024 * 1024;
const manifest = hostileManifest('preflight-1');
const image = Buffer.from('synthetic image bytes, not a picture');

/** A sink that counts what it is given: a refusal before inflating leaves it at zero. */
function countingSink(): MediaSink & { bytes: number; entries: string[] } {
  const sink = {
    bytes: 0,
    entries: [] as string[],
    async accept(name: string, stream: NodeJS.ReadableStream) {
      sink.entries.push(name);
      for await (const chunk of stream) sink.bytes += (chunk as Buffer).length;
      return {
        sha256: '0'.repeat(64),
        md5: '0'.repeat(32),
        sha1: '0'.repeat(40),
        size: 0,
        mediaType: 'application/octet-stream',
      };
    },
  };
  return sink;
}

async function read(zip: Buffer, limits: Partial<BundleLimits> = {}) {
  const sink = countingSink();
  const all = { ...defaultBundleLimits, ...limits };
  const collector = new PackageCollector({ limits: all, sink });
  const started = performance.now();
  const archive = await yauzl.fromBufferPromise(zip, zipOptions);
  let error: unknown = null;
  try {
    await readZipArchive(archive, zip.length, collector, all);
  } catch (caught) {
    error = caught;
  } finally {
    archive.close();
  }
  return { error, sink, ms: performance.now() - started };
}

function expectRefusal(error: unknown, code: string, pointer?: string): void {
  expect(error).toBeInstanceOf(TriageError);
  expect((error as TriageError).code).toBe(code);
  if (pointer !== undefined) expect((error as TriageError).pointer).toBe(pointer);
}

describe('ZIP preflight: central directory and local headers before any inflate', () => {
  it('given 3 000 central records sharing one 1 MiB local entry, when read, then TRIAGE_BUNDLE_ZIP_OVERLAP in milliseconds and nothing inflated', async () => {
    const { error, sink, ms } = await read(sharedLocalBomb(manifest));
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_OVERLAP');
    expect((error as TriageError).message).toMatch(/point at the same local entry/);
    expect(sink).toMatchObject({ bytes: 0, entries: [] });
    expect(ms).toBeLessThan(2_000);
  });

  it('given two central records, a.png and b.png, at one local entry, when read, then the shared entry is refused', async () => {
    const kernel = zipEntry('a.png', image, { store: true });
    const documentEntry = zipEntry('bundle.json', manifest);
    const zip = craftZip(
      [documentEntry, kernel],
      [centralFor(documentEntry, 0), centralFor(kernel, 1), { ...centralFor(kernel, 1), name: 'b.png' }],
    );
    const { error, sink } = await read(zip);
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_OVERLAP');
    expect(sink.bytes).toBe(0);
  });

  it('given a quoted-overlap chain (Fifield) with the per-entry ratio out of the way, when read, then the overlap alone refuses it', async () => {
    const { error, sink } = await read(quotedOverlapBomb(manifest, 50), { maxCompressionRatio: 1_000_000 });
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_OVERLAP');
    expect((error as TriageError).message).toMatch(/inside .*'s data/);
    expect(sink.bytes).toBe(0);
  });

  it('given a quoted-overlap chain at the default limits, when read, then its first entry’s declared ratio refuses it', async () => {
    const { error, sink } = await read(quotedOverlapBomb(manifest, 50));
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_BOMB');
    expect(sink.bytes).toBe(0);
  });

  it('given an entry stored inside another entry’s data, when read, then TRIAGE_BUNDLE_ZIP_OVERLAP names the inner one', async () => {
    const { error, sink } = await read(overlappingEntries(manifest));
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_OVERLAP', 'media/inner.bin');
    expect(sink.bytes).toBe(0);
  });

  it('given an entry whose compressed size runs into the central directory, when read, then it is refused', async () => {
    const documentEntry = zipEntry('bundle.json', manifest);
    const media = zipEntry('a.png', image, { store: true });
    // Central and local agree on a size 40 bytes too long: the data would read the directory.
    const long = {
      ...media,
      compressedSize: media.compressedSize + 40,
      uncompressedSize: media.uncompressedSize + 40,
    };
    const zip = craftZip(
      [documentEntry, { ...long, data: media.data }],
      [centralFor(documentEntry, 0), { ...centralFor(media, 1), ...long, local: 1 }],
    );
    const { error, sink } = await read(zip);
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_OVERLAP', 'a.png');
    expect(sink.bytes).toBe(0);
  });

  for (const [field, edit] of [
    ['name', { name: 'b.png' }],
    ['method', { method: 8 }],
    ['flags', { flags: 0x800 }],
    ['CRC-32', { crc32: 0x1234 }],
    ['compressedSize', { compressedSize: image.length - 1 }],
    ['uncompressedSize', { uncompressedSize: image.length + 1 }],
  ] as const) {
    it(`given a local header whose ${field} disagrees with the central directory, when read, then TRIAGE_BUNDLE_ZIP_INVALID before inflating`, async () => {
      const { error, sink } = await read(lyingLocalHeader(manifest, edit, image));
      expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_INVALID', 'a.png');
      expect((error as TriageError).message).toContain(field);
      expect(sink.bytes).toBe(0);
    });
  }

  it('given 40 entries of 1 MiB zeros (each under the per-entry ratio exemption), when read, then the archive ratio refuses them', async () => {
    const zip = manySmallEntries(manifest, 40);
    const { error, sink } = await read(zip);
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_BOMB');
    expect((error as TriageError).details).toMatchObject({ limit: 100, archiveBytes: zip.length });
    expect(sink.bytes).toBe(0);
  });

  it('given the same 40 entries with the archive ratio raised, when read, then they are read (the ratio is the only thing that refused them)', async () => {
    const zip = manySmallEntries(manifest, 40);
    const { error, sink } = await read(zip, { maxArchiveRatio: 100_000 });
    // The manifest names a.png only: the first media entry is unexpected, and nothing inflated yet.
    expectRefusal(error, 'TRIAGE_BUNDLE_FILE_UNEXPECTED', 'media/s-0.bin');
    expect(sink.bytes).toBe(0);
  });

  it('given entries whose declared total passes the absolute limit at an honest ratio, when read, then TRIAGE_BUNDLE_ZIP_BOMB before inflating', async () => {
    const locals = [
      zipEntry('bundle.json', manifest),
      ...Array.from({ length: 6 }, (_, i) =>
        zipEntry(`media/r-${i}.bin`, Buffer.alloc(64 * 1024, i + 1), { store: true }),
      ),
    ];
    const zip = honestZip(locals);
    const { error, sink } = await read(zip, { maxUncompressedBytes: 256 * 1024 });
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_BOMB');
    expect(sink.bytes).toBe(0);
  });

  it('given a single entry declaring 4 GiB from 4 MiB, when read, then its declared ratio refuses it before inflating', async () => {
    const documentEntry = zipEntry('bundle.json', manifest);
    const huge = {
      ...zipEntry('a.png', Buffer.alloc(16)),
      compressedSize: 4 * MiB,
      uncompressedSize: 0xfffffff0,
    };
    const zip = craftZip(
      [documentEntry, { ...huge, data: Buffer.alloc(4 * MiB) }],
      [centralFor(documentEntry, 0), { ...centralFor(huge, 1) }],
    );
    const { error, sink } = await read(zip, {
      maxUncompressedBytes: 8 * 1024 * MiB,
      maxBundleBytes: 8 * 1024 * MiB,
      maxFileBytes: 8 * 1024 * MiB,
    });
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_BOMB', 'a.png');
    expect(sink.bytes).toBe(0);
  });

  it('given an entry declaring 1 000 bytes whose stream inflates to 64 MiB, when read, then it stops at the first chunk past the declaration', async () => {
    const { error, sink, ms } = await read(lyingDeclaredSize(manifest, 1_000, 64 * MiB));
    expectRefusal(error, 'TRIAGE_BUNDLE_ZIP_BOMB', 'a.png');
    expect((error as TriageError).message).toMatch(/beyond the 1000 bytes/);
    // At most the declared bytes got through: the chunk that passed them was never passed on.
    expect(sink.bytes).toBeLessThanOrEqual(1_000);
    expect(ms).toBeLessThan(2_000);
  });

  it('given a media entry the manifest does not name before a named one, when read, then TRIAGE_BUNDLE_FILE_UNEXPECTED before any media is inflated', async () => {
    const locals = [
      zipEntry('bundle.json', manifest),
      zipEntry('a.png', image, { store: true }),
      zipEntry('media/extra.bin', Buffer.alloc(1024, 7)),
    ];
    const zip = honestZip(locals);
    const { error, sink } = await read(zip);
    expectRefusal(error, 'TRIAGE_BUNDLE_FILE_UNEXPECTED', 'media/extra.bin');
    expect(sink).toMatchObject({ bytes: 0, entries: [] });
  });

  it('given an honest crafted package, when read, then its media reaches the sink whole (the checks refuse nothing honest)', async () => {
    const locals = [zipEntry('bundle.json', manifest), zipEntry('a.png', image)];
    const zip = honestZip(locals);
    const { error, sink } = await read(zip);
    expect(error).toBeNull();
    expect(sink).toMatchObject({ bytes: image.length, entries: ['a.png'] });
  });

  it('given a nested ZIP as a media entry, when read, then it is media like any other: stored, never opened', async () => {
    const nested = sharedLocalBomb(manifest, 10);
    const locals = [zipEntry('bundle.json', manifest), zipEntry('a.png', nested, { store: true })];
    const zip = honestZip(locals);
    const { error, sink } = await read(zip);
    expect(error).toBeNull();
    expect(sink.bytes).toBe(nested.length);
  });
});
