// The generator on disk: byte-for-byte determinism, XSD validity of every XML document (xmllint),
// and a ground truth that agrees with the bytes it describes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { hammingDistance, hashMedia } from '@triage/hashing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { type GenerateFeedOptions, generateFeed } from './generate-feed.ts';
import type { GroundTruth } from './ground-truth.ts';
import type { HosterTruth } from './takedowns/hoster-truth.ts';

const run = promisify(execFile);
const xsd = fileURLToPath(new URL('../../../../shared/data/ncmec/cyber_tipline.xsd', import.meta.url));
const small = { reports: 30, maxFiles: 30 } as const;

let scratch: string;
let counter = 0;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'feed-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function generate(options: Omit<GenerateFeedOptions, 'out'>): Promise<string> {
  const out = path.join(scratch, `feed-${counter++}`);
  await generateFeed({ ...options, out });
  return out;
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Relative path -> sha256 of every file under root. */
async function treeHashes(root: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const relative of await listFiles(root)) {
    hashes.set(
      relative,
      createHash('sha256')
        .update(await readFile(path.join(root, relative)))
        .digest('hex'),
    );
  }
  return hashes;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      const entries = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Smallest distance between `pdq` and any dihedral variant of the image (rotations and flips match). */
function dihedralDistance(dihedral: readonly string[], pdq: string): number {
  return Math.min(...dihedral.map((variant) => hammingDistance(variant, pdq)));
}

describe('generateFeed determinism', () => {
  it.each(['json', 'xml', 'zip'] as const)(
    'given the same seed twice, when a %s feed is generated, then every file of the tree is byte-identical',
    async (format) => {
      const first = await treeHashes(await generate({ seed: 11, format, ...small, takedowns: 50 }));
      const second = await treeHashes(await generate({ seed: 11, format, ...small, takedowns: 50 }));
      expect(first.size).toBeGreaterThan(3);
      expect(first.has('truth/hosters.json')).toBe(true);
      expect(second).toEqual(first);
    },
  );

  it('given another seed, when generated, then the feed differs', async () => {
    const first = await treeHashes(await generate({ seed: 11, format: 'json', ...small, takedowns: 50 }));
    const other = await treeHashes(await generate({ seed: 12, format: 'json', ...small, takedowns: 50 }));
    expect(other.get('ground-truth.json')).not.toBe(first.get('ground-truth.json'));
    const shared = [...first].filter(([relative, hash]) => other.get(relative) === hash);
    expect(shared).toEqual([]);
  });
});

describe('generateFeed takedown month', () => {
  it("given --takedowns, when generated, then the month before the feed's asOf notices the feed's known content by sha256 and item", async () => {
    const out = await generate({ seed: 11, format: 'json', ...small, takedowns: 80 });
    const truth = JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8')) as GroundTruth;
    const hosters = JSON.parse(await readFile(path.join(out, 'truth/hosters.json'), 'utf8')) as HosterTruth;
    // asOf 2026-11-28T12:00Z minus 11 days: the 17th of November, so the month is October.
    expect(truth.asOf).toBe('2026-11-17T12:00:00Z');
    expect(hosters.period).toEqual({ from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
    const known = new Map(
      truth.items.filter((item) => item.known !== null).map((item) => [item.sha256, item.itemId]),
    );
    const notices = (
      await Promise.all(
        hosters.partners.map(async (partner) =>
          (
            await readFile(path.join(out, partner.events), 'utf8')
          )
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line)),
        ),
      )
    )
      .flat()
      .filter((event) => event.type === 'notice_sent');
    expect(notices).toHaveLength(hosters.counts.cases);
    const onKnown = notices.filter((event) => known.has(event.sha256));
    expect(onKnown.length).toBeGreaterThan(notices.length / 2);
    for (const event of onKnown)
      expect(truth.items.some((item) => item.itemId === event.itemId && item.sha256 === event.sha256)).toBe(
        true,
      );
  });
});

describe('generateFeed XML', () => {
  let out: string;
  let truth: GroundTruth;
  beforeAll(async () => {
    out = await generate({ seed: 21, format: 'xml', reports: 40, maxFiles: 25 });
    truth = JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8'));
  });

  it('given an XML feed, when xmllint checks every document against the NCMEC XSD, then all validate', async () => {
    const documents = (await listFiles(out)).filter((relative) => relative.endsWith('.xml'));
    expect(documents.length).toBe(truth.reports.length + truth.items.length);
    for (let start = 0; start < documents.length; start += 400) {
      const batch = documents.slice(start, start + 400);
      const { stderr } = await run('/usr/bin/xmllint', ['--noout', '--schema', xsd, ...batch], { cwd: out });
      const lines = stderr.trim().split('\n');
      expect(lines.filter((line) => !line.endsWith(' validates'))).toEqual([]);
      expect(lines).toHaveLength(batch.length);
    }
  });

  it('given an XML report directory, when read, then each fileDetails names its report id and a media entry that holds the bytes', async () => {
    const items = new Map(truth.items.map((item) => [item.itemId, item]));
    for (const report of truth.reports) {
      expect(report.package).toBe(`reports/${report.partnerId}-${report.partnerReportId}`);
      const directory = path.join(out, report.package);
      const documents = (await readdir(directory)).filter((name) => name.startsWith('fileDetails-'));
      expect(documents).toHaveLength(report.fileCount);
      for (const document of documents) {
        const xml = await readFile(path.join(directory, document), 'utf8');
        expect(xml).toContain(`<reportId>${report.partnerReportId}</reportId>`);
        const fileId = /<fileId>([^<]+)<\/fileId>/.exec(xml)![1]!;
        const fileName = /<fileName>([^<]+)<\/fileName>/.exec(xml)![1]!;
        const item = items.get(`${report.reportId}/${fileId}`)!;
        expect(fileName).toBe(item.entryName);
        expect(sha256(await readFile(path.join(directory, fileName)))).toBe(item.sha256);
      }
    }
  });
});

describe('generateFeed ground truth against the bytes', () => {
  let out: string;
  let truth: GroundTruth;
  let bytesOf: (itemId: string) => Promise<Buffer>;
  beforeAll(async () => {
    out = await generate({ seed: 31, format: 'json', reports: 60, maxFiles: 40 });
    truth = JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8'));
    const reportsById = new Map(truth.reports.map((report) => [report.reportId, report]));
    const items = new Map(truth.items.map((item) => [item.itemId, item]));
    bytesOf = (itemId) => {
      const item = items.get(itemId)!;
      const report = reportsById.get(itemId.slice(0, itemId.lastIndexOf('/')))!;
      return readFile(path.join(out, report.package, item.entryName));
    };
  });

  const pdqCache = new Map<string, Promise<Awaited<ReturnType<typeof hashMedia>>>>();
  const pdqOf = (sha: string, bytes: () => Promise<Buffer>) => {
    if (!pdqCache.has(sha))
      pdqCache.set(
        sha,
        bytes().then((buffer) => hashMedia(buffer)),
      );
    return pdqCache.get(sha)!;
  };

  it('given the items, when their files are read, then sha256 and MD5 are the ones recorded', async () => {
    expect(truth.items.length).toBe(truth.counts.files);
    for (const item of truth.items) {
      const bytes = await bytesOf(item.itemId);
      expect(sha256(bytes)).toBe(item.sha256);
      expect(md5(bytes)).toBe(item.md5);
    }
  });

  it('given the exact-duplicate groups, when their files are read, then each group shares one sha256 across reports', async () => {
    expect(truth.exactDuplicateGroups.length).toBeGreaterThan(0);
    let acrossReports = 0;
    for (const group of truth.exactDuplicateGroups) {
      for (const itemId of group.itemIds) expect(sha256(await bytesOf(itemId))).toBe(group.sha256);
      if (new Set(group.itemIds.map((itemId) => itemId.slice(0, itemId.lastIndexOf('/')))).size > 1)
        acrossReports++;
    }
    expect(acrossReports).toBeGreaterThan(0);
  });

  it('given the near-duplicate groups, when hashed with PDQ, then every member is within distance 31 of its original with quality the hasher clusters on (>= 50)', async () => {
    expect(truth.nearDuplicateGroups.length).toBeGreaterThan(0);
    const edits = new Set<string>();
    for (const group of truth.nearDuplicateGroups) {
      for (const member of group.members) {
        const bytes = await bytesOf(member.itemId);
        const hashes = await pdqOf(sha256(bytes), async () => bytes);
        expect(dihedralDistance(hashes.pdqDihedral, group.originalPdq)).toBeLessThanOrEqual(31);
        expect(hashes.pdqQuality).toBeGreaterThanOrEqual(50);
        if (member.edit === 'original') expect(hashes.pdq).toBe(group.originalPdq);
        else expect(sha256(bytes)).not.toBe(group.originalSha256);
        edits.add(member.edit);
      }
    }
    expect([...edits].sort()).toEqual(['crop', 'flip', 'original', 'reencode', 'resize', 'rotate']);
  });

  it('given the known-hash CSV, when the items are hashed, then exactly the known matches are on the list (MD5, or PDQ within 31)', async () => {
    const csv = await readFile(path.join(out, 'known-hashes.csv'), 'utf8');
    const rows = csv
      .split('\n')
      .filter((line) => /^[0-9a-f]+,/.test(line))
      .map((line) => line.split(','));
    const listedMd5 = new Set(rows.filter((row) => row[1] === 'MD5').map((row) => row[0]!));
    const listedPdq = rows.filter((row) => row[1] === 'PDQ').map((row) => row[0]!);
    expect(listedMd5.size).toBeGreaterThan(0);
    expect(listedPdq.length).toBeGreaterThan(0);
    const matches = new Map(truth.knownMatches.map((match) => [match.itemId, match]));
    expect([...matches.values()].map((match) => match.match).sort()).toContain('pdq');
    for (const item of truth.items) {
      if (item.origin === 'text') continue;
      const bytes = await bytesOf(item.itemId);
      const hashes = await pdqOf(item.sha256, async () => bytes);
      const md5Listed = listedMd5.has(md5(bytes));
      const pdqListed = listedPdq.some((pdq) => dihedralDistance(hashes.pdqDihedral, pdq) <= 31);
      const match = matches.get(item.itemId);
      expect({ itemId: item.itemId, known: md5Listed || pdqListed }).toEqual({
        itemId: item.itemId,
        known: match !== undefined,
      });
      if (match?.match === 'md5') expect(md5Listed).toBe(true);
      if (match?.match === 'pdq') {
        expect(listedPdq).toContain(match.listHash);
        expect(dihedralDistance(hashes.pdqDihedral, match.listHash)).toBeLessThanOrEqual(31);
      }
    }
  });

  it('given the bundle manifests, when their partner hashes are compared with the bytes, then only the recorded mismatches differ', async () => {
    const mismatches = new Set(truth.partnerHashMismatches.map((entry) => entry.itemId));
    let checked = 0;
    for (const entry of truth.packages) {
      const manifest = JSON.parse(await readFile(path.join(out, entry.path, 'bundle.json'), 'utf8'));
      expect(manifest.bundleRef).toBe(entry.bundleRef);
      for (const report of manifest.reports) {
        for (const file of report.files) {
          const itemId = `${entry.partnerId}:${report.reportId}/${file.fileId}`;
          const bytes = await readFile(path.join(out, entry.path, file.name));
          const partnerMd5 = file.hashes.find((hash: { type: string }) => hash.type === 'MD5').value;
          expect(partnerMd5 === md5(bytes)).toBe(!mismatches.has(itemId));
          checked++;
        }
      }
    }
    expect(checked).toBe(truth.counts.files);
  });
});

describe('generateFeed ZIP', () => {
  it('given the same seed as JSON and as ZIP, when the ZIPs are read, then they hold exactly the JSON directories', async () => {
    const json = await generate({ seed: 41, format: 'json', ...small });
    const zip = await generate({ seed: 41, format: 'zip', ...small });
    const truth: GroundTruth = JSON.parse(await readFile(path.join(zip, 'ground-truth.json'), 'utf8'));
    expect(truth.packages.length).toBeGreaterThan(1);
    for (const entry of truth.packages) {
      expect(entry.path).toBe(`bundles/${entry.bundleRef}.zip`);
      const entries = await readZip(path.join(zip, entry.path));
      const directory = path.join(json, 'bundles', entry.bundleRef);
      expect([...entries.keys()].sort()).toEqual(await listFiles(directory));
      for (const [name, bytes] of entries)
        expect(bytes.equals(await readFile(path.join(directory, name)))).toBe(true);
    }
  });
});

describe('generateFeed options', () => {
  it('given an output directory that is not empty, when generating, then TRIAGE_CONFIG_INVALID and nothing is written', async () => {
    const out = await generate({ seed: 1, format: 'json', reports: 2, maxFiles: 2 });
    const before = await treeHashes(out);
    await expect(generateFeed({ seed: 2, format: 'json', reports: 2, out })).rejects.toMatchObject({
      code: 'TRIAGE_CONFIG_INVALID',
      details: { option: 'out' },
    });
    expect(await treeHashes(out)).toEqual(before);
  });

  it('given a max of 3 files, when generated, then no report has more', async () => {
    const out = await generate({ seed: 3, format: 'json', reports: 40, maxFiles: 3 });
    const truth: GroundTruth = JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8'));
    expect(Math.max(...truth.reports.map((report) => report.fileCount))).toBeLessThanOrEqual(3);
  });
});
