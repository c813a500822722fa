// `triage bundle validate` as an operator runs it: a separate process, its JSON output and exit
// code.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateBundlePath } from '@triage/bundles';
import type { Bundle, Item, Report } from '@triage/schemas';
import { makeZip, renameEntry, sharedLocalBomb, syntheticImage } from '@triage/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const ncmec = fileURLToPath(new URL('../../../../../shared/data/ncmec/', import.meta.url));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function validate(
  ...args: string[]
): Promise<{ json: Record<string, unknown>; stderr: string; code: number }> {
  const { stdout, stderr, code } = await runCli(['bundle', 'validate', ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return { json: JSON.parse(stdout), stderr, code };
}

let scratch: string;
let image: Buffer;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'bundle-validate-'));
  image = await syntheticImage(7, 64, 48);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const jsonManifest = () =>
  Buffer.from(
    JSON.stringify({
      bundleRef: 'cli-test-0001',
      reports: [
        {
          reportId: '100234',
          incidentType: 'Child Sex Trafficking',
          internetDetails: [{ type: 'webPage', urls: ['https://host.example/a', 'https://host.example/b'] }],
          files: [
            { fileId: 'f-1', name: 'media/f-1.png', hashes: [{ type: 'SHA256', value: sha256(image) }] },
          ],
        },
      ],
    }),
  );

describe('triage bundle validate', () => {
  it("Given a folder with NCMEC's 6.1 report, 6.3 fileDetails and an image named mypic.jpg, When validated, Then it prints the bundle, report and item, exit 0", async () => {
    const dir = path.join(scratch, 'xml-package');
    await mkdir(path.join(dir, 'uploads'), { recursive: true });
    await copyFile(path.join(ncmec, 'ncmec-doc-6.1-report.xml'), path.join(dir, 'report.xml'));
    await copyFile(path.join(ncmec, 'ncmec-doc-6.3-fileDetails.xml'), path.join(dir, 'fileDetails-1.xml'));
    await writeFile(path.join(dir, 'uploads', 'mypic.jpg'), image);

    const { json, code } = await validate(dir, '--partner', 'tipline-test', '--bundle-ref', 'key-1');
    expect(code).toBe(0);
    const bundle = json.bundle as Bundle;
    expect(bundle).toMatchObject({ partnerId: 'tipline-test', partnerBundleRef: 'key-1' });
    expect(bundle.bundleId).toMatch(/^bndl-[0-9a-f]{24}$/);
    const reports = json.reports as Report[];
    expect(reports.map((r) => [r.reportId, r.version, r.incidentType, r.itemCount])).toEqual([
      ['tipline-test:4564654', 1, 'CHILD_PORNOGRAPHY', 2],
    ]);
    const items = json.items as Item[];
    expect(items.map((item) => item.itemId)).toEqual([
      'tipline-test:4564654/b0754af766b426f2928a02c651ed4b99',
      'tipline-test:4564654/url:0',
    ]);
    expect(JSON.stringify(items[0])).toContain(sha256(image));
  });

  it('Given a JSON ZIP package, When validated, Then the file and both URLs are items and the partner hash matches', async () => {
    const zip = path.join(scratch, 'good.zip');
    await writeFile(
      zip,
      await makeZip([
        { name: 'bundle.json', data: jsonManifest() },
        { name: 'media/f-1.png', data: image },
      ]),
    );
    const { json, code } = await validate(zip);
    expect(code).toBe(0);
    const bundle = json.bundle as Bundle;
    expect(bundle).toMatchObject({ partnerId: 'local', partnerBundleRef: 'cli-test-0001', format: 'zip' });
    expect(bundle.sourceSha256).toBe(sha256(await readFile(zip)));
    expect(bundle.reports[0]!.files[0]!.partnerHashChecks[0]!.status).toBe('match');
    expect((json.items as Item[]).map((item) => item.itemId)).toEqual([
      'local:100234/f-1',
      'local:100234/url:0',
      'local:100234/url:1',
    ]);
  });

  it('Given a ZIP with an entry that climbs out, When validated, Then it prints the problem naming the entry, exit 1', async () => {
    const zip = path.join(scratch, 'bad.zip');
    const bytes = await makeZip([
      { name: 'bundle.json', data: jsonManifest() },
      { name: 'media/f-1.png', data: image },
      { name: 'xx/evil.png', data: image },
    ]);
    await writeFile(zip, renameEntry(bytes, 'xx/evil.png', '../evil.png'));
    const { json, stderr, code } = await validate(zip);
    expect(code).toBe(1);
    expect(json).toEqual({
      type: 'urn:triage:problem:TRIAGE_BUNDLE_PATH_UNSAFE',
      title: 'Unsafe entry name in the package',
      status: 400,
      code: 'TRIAGE_BUNDLE_PATH_UNSAFE',
      detail: expect.stringContaining('../evil.png'),
      pointer: '../evil.png',
    });
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('Given a bundle ref that disagrees with bundle.json, When validated, Then TRIAGE_BUNDLE_INCONSISTENT at /bundleRef, exit 1', async () => {
    const file = path.join(scratch, 'bundle.json');
    await writeFile(
      file,
      JSON.stringify({ bundleRef: 'a', reports: [{ reportId: '1', incidentType: 'Child Sex Tourism' }] }),
    );
    const { json, code } = await validate(file, '--bundle-ref', 'b');
    expect(code).toBe(1);
    expect(json).toMatchObject({ code: 'TRIAGE_BUNDLE_INCONSISTENT', pointer: '/bundleRef' });
  });

  it('Given issue 11’s ZIP of 3 000 central records sharing one 1 MiB local entry, When validated, Then it is refused TRIAGE_BUNDLE_ZIP_OVERLAP in milliseconds, exit 1 (it inflated 3 GB for 18-30 s before)', async () => {
    const file = path.join(scratch, 'shared-local-bomb.zip');
    await writeFile(file, sharedLocalBomb(jsonManifest()));
    const started = performance.now();
    await expect(validateBundlePath(file)).rejects.toMatchObject({ code: 'TRIAGE_BUNDLE_ZIP_OVERLAP' });
    // The refusal itself, in this process: the central directory read, no local header, no inflate.
    expect(performance.now() - started).toBeLessThan(1_000);
    const { json, code } = await validate(file);
    expect(code).toBe(1);
    expect(json).toMatchObject({ code: 'TRIAGE_BUNDLE_ZIP_OVERLAP', pointer: 'media/m-1.bin' });
  });
});
