// `triage feed generate` as an operator runs it: a separate process, its output, exit code and files.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseJsonManifest, validateBundlePath } from '@triage/bundles';
import { type FeedFormat, type GroundTruth, generateFeed } from '@triage/feed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triage } from '../testing/run-cli.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cli-feed-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function generate(format: string): Promise<{ out: string; stdout: string; truth: GroundTruth }> {
  const out = path.join(scratch, format);
  const { stdout, stderr, code } = await triage(
    'feed',
    'generate',
    '--seed',
    '5',
    '--reports',
    '12',
    '--max-files',
    '6',
    '--out',
    out,
    '--format',
    format,
  );
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const truth = JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8')) as GroundTruth;
  return { out, stdout, truth };
}

describe('triage feed generate', () => {
  it('given --format json, when run, then one directory per bundle holds bundle.json and the media it names', async () => {
    const { out, stdout, truth } = await generate('json');
    expect(stdout).toMatch(/^feed: 12 reports in \d+ json packages, \d+ files/m);
    expect(stdout).toMatch(/^tiers: P1 \d+/m);
    expect(truth.reports).toHaveLength(12);
    expect((await readdir(path.join(out, 'bundles'))).sort()).toEqual(
      truth.packages.map((entry) => path.basename(entry.path)).sort(),
    );
    for (const entry of truth.packages) {
      const manifest = JSON.parse(await readFile(path.join(out, entry.path, 'bundle.json'), 'utf8'));
      expect(manifest.bundleRef).toBe(entry.bundleRef);
      for (const report of manifest.reports) {
        for (const file of report.files)
          await expect(readFile(path.join(out, entry.path, file.name))).resolves.toBeDefined();
      }
    }
  });

  it('given --format xml, when run, then one directory per report holds report.xml, its fileDetails and media', async () => {
    const { out, stdout, truth } = await generate('xml');
    expect(stdout).toContain('feed: 12 reports in 12 xml packages');
    for (const report of truth.reports) {
      const names = await readdir(path.join(out, report.package));
      expect(names.filter((name) => name.startsWith('fileDetails-'))).toHaveLength(report.fileCount);
      expect(names).toContain('report.xml');
      expect(await readFile(path.join(out, report.package, 'report.xml'), 'utf8')).toMatch(
        /^<\?xml[^>]*>\s*<report>/,
      );
    }
  });

  it('given --format zip, when run, then each bundle is one ZIP file', async () => {
    const { out, truth } = await generate('zip');
    for (const entry of truth.packages) {
      expect(entry.path).toMatch(/^bundles\/.+\.zip$/);
      const bytes = await readFile(path.join(out, entry.path));
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    }
  });

  it('given a generated feed, when its known-hashes.csv goes through hashes import --dry-run, then its MD5 and PDQ rows are all read', async () => {
    const out = path.join(scratch, 'json');
    const csv = await readFile(path.join(out, 'known-hashes.csv'), 'utf8');
    const rows = csv.split('\n').filter((line) => /^[0-9a-f]+,/.test(line));
    const { stdout, code } = await triage(
      'hashes',
      'import',
      path.join(out, 'known-hashes.csv'),
      '--list',
      'feed-demo',
      '--dry-run',
    );
    expect(code).toBe(0);
    expect(stdout).toContain(`entries ${rows.length}`);
    expect(stdout).toMatch(/\bPDQ\b/);
    expect(stdout).toContain('invalid 0');
    expect(stdout).toContain('CSV with header (hash, type, category, label)');
  });

  it('given an output directory that is not empty, when run, then it fails with the code and no stack trace', async () => {
    const { stdout, stderr, code } = await triage(
      'feed',
      'generate',
      '--seed',
      '1',
      '--reports',
      '2',
      '--out',
      path.join(scratch, 'json'),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('TRIAGE_CONFIG_INVALID');
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /);
  });
});

describe('a generated feed through intake parsing (bundle validate)', () => {
  const feeds = new Map<FeedFormat, { out: string; truth: GroundTruth }>();
  beforeAll(async () => {
    for (const format of ['json', 'xml', 'zip'] as const) {
      const out = path.join(scratch, `validate-${format}`);
      // Seed 30 (an XML feed plans another feed than JSON and ZIP: it draws no JSON-only scenario).
      await generateFeed({ seed: 30, reports: 30, maxFiles: 15, format, out });
      feeds.set(format, {
        out,
        truth: JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8')),
      });
    }
  });

  it('given every bundle.json, when parsed with parseJsonManifest, then it is accepted with its bundle ref and reports', async () => {
    const { out, truth } = feeds.get('json')!;
    for (const entry of truth.packages) {
      const manifest = parseJsonManifest(
        await readFile(path.join(out, entry.path, 'bundle.json')),
        'bundle.json',
      );
      expect(manifest.partnerBundleRef).toBe(entry.bundleRef);
      expect(manifest.reports.map((report) => `${entry.partnerId}:${report.partnerReportId}`)).toEqual(
        entry.reportIds,
      );
    }
  });

  it.each(['json', 'xml', 'zip'] as const)(
    'given every %s package, when validated as intake would, then its reports, files, hashes and flags are those of the ground truth',
    async (format) => {
      const { out, truth } = feeds.get(format)!;
      const reports = new Map(truth.reports.map((report) => [report.reportId, report]));
      const items = new Map(truth.items.map((item) => [item.itemId, item]));
      const mismatches = new Set(truth.partnerHashMismatches.map((entry) => entry.itemId));
      let files = 0;
      for (const entry of truth.packages) {
        const { bundle } = await validateBundlePath(path.join(out, entry.path), {
          partnerId: entry.partnerId,
          bundleRef: entry.bundleRef,
        });
        expect(bundle.reports.map(({ report }) => report.reportId)).toEqual(entry.reportIds);
        for (const { report, files: reportFiles } of bundle.reports) {
          const expected = reports.get(report.reportId)!;
          expect(report.driftNotes).toEqual([]);
          expect(report.batched).toBe(expected.facts.batchedViral);
          expect(report.escalateToHighPriority !== null).toBe(expected.facts.escalation);
          expect(report.reportAnnotations.includes('informational')).toBe(expected.facts.informational);
          expect(report.ncmecPriority === 1).toBe(expected.facts.ncmecPriority1);
          for (const file of reportFiles) {
            const itemId = `${report.reportId}/${file.fileId}`;
            expect(file.sha256).toBe(items.get(itemId)!.sha256);
            const md5Check = file.partnerHashChecks.find((check) => check.hashType === 'MD5')!;
            expect(md5Check.status).toBe(mismatches.has(itemId) ? 'mismatch' : 'match');
            files++;
          }
        }
      }
      expect(files).toBe(truth.items.length);
      // The seed is one whose feed has each of these, so the checks above are exercised.
      expect(mismatches.size).toBeGreaterThan(0);
      expect(truth.reports.filter((report) => report.facts.batchedViral).length).toBeGreaterThan(0);
      expect(
        truth.reports.filter((report) => report.scenario === 'informational-referral').length,
      ).toBeGreaterThan(0);
      // NCMEC priority 1 travels in bundle.json only (the XSD has none), so XML feeds never plan it.
      expect(truth.reports.some((report) => report.facts.ncmecPriority1)).toBe(format !== 'xml');
    },
  );
});
