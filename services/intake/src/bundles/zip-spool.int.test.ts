// The ZIP spool's two ways (issue 11): a small ZIP is read from memory and never touches the
// disk; a larger one is spooled from its first byte, encrypted when asked, and read the same.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  type AssembledBundle,
  createHashingMediaSink,
  defaultBundleLimits,
  PackageCollector,
} from '@triage/bundles';
import { TriageError } from '@triage/errors';
import { makeZip, syntheticImage } from '@triage/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipSpool } from './zip-spool.ts';

let scratch: string;
let zip: Buffer;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'zip-spool-'));
  const images = await Promise.all([syntheticImage(31, 64, 48), syntheticImage(32, 64, 48)]);
  const manifest = {
    bundleRef: 'spool-0001',
    reports: [
      {
        reportId: 'r-1',
        incidentType: 'Child Sex Trafficking',
        files: images.map((_, index) => ({ fileId: `f-${index + 1}`, name: `media/${index + 1}.png` })),
      },
    ],
  };
  zip = await makeZip([
    { name: 'bundle.json', data: Buffer.from(JSON.stringify(manifest)) },
    ...images.map((data, index) => ({ name: `media/${index + 1}.png`, data })),
  ]);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The body as an upload delivers it: in chunks. */
const upload = (bytes: Buffer) =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / 1_000) }, (_, at) =>
      bytes.subarray(at * 1_000, (at + 1) * 1_000),
    ),
  );

async function spoolAndRead(
  spool: ZipSpool,
  bytes: Buffer,
): Promise<{ bundle: AssembledBundle; filesWhileHeld: string[] }> {
  const spooled = await spool.write(upload(bytes), defaultBundleLimits);
  const filesWhileHeld = await readdir(spool.dir).catch(() => []);
  const collector = new PackageCollector({ limits: defaultBundleLimits, sink: createHashingMediaSink() });
  try {
    await spooled.readInto(collector, defaultBundleLimits);
  } finally {
    await spooled.remove();
  }
  expect(await readdir(spool.dir).catch(() => [])).toEqual([]);
  return { bundle: collector.finish(), filesWhileHeld };
}

describe('ZipSpool', () => {
  it('given a ZIP within memoryBytes, then it is read from memory: no spool file, the same bundle as spooled', async () => {
    const inMemory = new ZipSpool({
      dir: path.join(scratch, 'memory'),
      encrypt: true,
      memoryBytes: zip.length,
    });
    const spooled = new ZipSpool({
      dir: path.join(scratch, 'disk'),
      encrypt: true,
      memoryBytes: zip.length - 1,
    });
    const fromMemory = await spoolAndRead(inMemory, zip);
    const fromDisk = await spoolAndRead(spooled, zip);
    expect(fromMemory.filesWhileHeld).toEqual([]);
    expect(fromDisk.filesWhileHeld).toHaveLength(1);
    expect(fromMemory.bundle.reports[0]!.files.map((file) => file.sha256)).toHaveLength(2);
    expect(fromMemory.bundle.reports[0]!.files.map((file) => file.sha256)).toEqual(
      fromDisk.bundle.reports[0]!.files.map((file) => file.sha256),
    );
  });

  it('given a body over the bundle limit but within memoryBytes, then it is refused as too large', async () => {
    const spool = new ZipSpool({
      dir: path.join(scratch, 'limit'),
      encrypt: false,
      memoryBytes: 10 * zip.length,
    });
    const limits = { ...defaultBundleLimits, maxBundleBytes: zip.length - 1 };
    const refused = await spool.write(upload(zip), limits).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TriageError);
    expect((refused as TriageError).code).toBe('TRIAGE_BUNDLE_TOO_LARGE');
    expect(await readdir(spool.dir)).toEqual([]);
  });
});
