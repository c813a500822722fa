// The feed generator's I/O half: renders the planned media, then writes the packages, the ground
// truth and the demo known-hash list. Same seed and options, same bytes.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TriageError } from '@triage/errors';
import { sniffMediaType } from '@triage/hashing';
import yazl from 'yazl';
import { buildGroundTruth, type FeedFormat, type GroundTruth, type MediaDigest } from './ground-truth.ts';
import { type FeedCountry, feedCountries } from './ip-ranges.ts';
import { bundleJson } from './json-manifest.ts';
import { planFeed } from './plan-feed.ts';
import { drawFamily, renderMedia } from './render-media.ts';
import { buildHosterTruth } from './takedowns/hoster-truth.ts';
import { planTakedowns, type TakedownContent } from './takedowns/plan-takedowns.ts';
import { takedownEvents, takedownEventsPath } from './takedowns/takedown-events.ts';
import { knownHashesCsv } from './truth/known-hashes-csv.ts';
import { entryNameOf, xmlPackagePath } from './truth/package-paths.ts';
import type { FeedPlan, PlannedBundle } from './types.ts';
import { fileDetailsXml, reportXml } from './xml-documents.ts';

export const FEED_FORMATS = ['json', 'xml', 'zip'] as const satisfies readonly FeedFormat[];

export interface GenerateFeedOptions {
  /** Any integer 0..2^32-1; the same seed gives the same feed byte for byte. */
  readonly seed: number;
  /** Number of reports. */
  readonly reports: number;
  /** Output directory: created, or empty. */
  readonly out: string;
  readonly format: FeedFormat;
  /** Most files per report (batched viral reports otherwise reach thousands). Default 2000. */
  readonly maxFiles?: number;
  /** Reports per JSON/ZIP bundle. Default 10. */
  readonly reportsPerBundle?: number;
  /** The country the feed is triaged for (jurisdiction facts of the ground truth). Default NL. */
  readonly homeCountry?: FeedCountry;
  /** Images drawn at once. Default 4. */
  readonly concurrency?: number;
  /**
   * Notices the hotlines open in the takedown month (the last whole UTC month before the feed's
   * `asOf`), on the feed's known content; moves and reappearances add cases. Default 0: none.
   */
  readonly takedowns?: number;
}

export interface GenerateFeedResult {
  readonly out: string;
  readonly format: FeedFormat;
  /** Distinct media files drawn. */
  readonly mediaDrawn: number;
  /** Files written under `out`. */
  readonly filesWritten: number;
  readonly counts: GroundTruth['counts'];
  /** The takedown month, when one was generated. */
  readonly takedowns: { readonly cases: number; readonly events: number; readonly truth: string } | null;
}

/** Where `generateFeed` writes the takedown month's ground truth, relative to the feed directory. */
export const hosterTruthPath = 'truth/hosters.json';

/** The takedown month of a feed: the last whole UTC month before its `asOf`. */
function takedownMonthOf(asOf: string): number {
  const date = new Date(asOf);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
}

/** Known content of the feed (first item per sha256), the hotlines' notices are about. */
function knownContent(truth: GroundTruth): TakedownContent[] {
  const seen = new Map<string, TakedownContent>();
  for (const item of truth.items) {
    if (item.known !== null && !seen.has(item.sha256))
      seen.set(item.sha256, { sha256: item.sha256, itemId: item.itemId });
  }
  return [...seen.values()];
}

/** The takedown month's files: each hotline's events (one per line) and `truth/hosters.json`. */
function takedownFiles(seed: number, notices: number, truth: GroundTruth) {
  const plan = planTakedowns({
    seed,
    from: takedownMonthOf(truth.asOf),
    notices,
    content: knownContent(truth),
  });
  const files = [...takedownEvents(plan)].map(([partnerId, events]) => ({
    relative: takedownEventsPath(partnerId),
    bytes: events.map((event) => `${JSON.stringify(event)}\n`).join(''),
  }));
  const hosters = buildHosterTruth(plan);
  files.push({ relative: hosterTruthPath, bytes: `${JSON.stringify(sortKeys(hosters), null, 2)}\n` });
  return {
    files,
    summary: { cases: hosters.counts.cases, events: hosters.counts.events, truth: hosterTruthPath },
  };
}

// Local-time fields, because ZIP (DOS) timestamps are local time: every time zone writes the same bytes.
const ZIP_MTIME = new Date(2026, 0, 1, 0, 0, 0);

function invalid(option: string, message: string): TriageError {
  return new TriageError('TRIAGE_CONFIG_INVALID', `feed generate: ${message}`, { details: { option } });
}

function integerOption(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(option, `--${option} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

async function ensureEmptyDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  const entries = await readdir(directory);
  if (entries.length > 0) throw invalid('out', `${directory} is not empty; give a new or empty directory`);
}

/** Runs `task` over `items` with at most `limit` at once, keeping results in order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Bytes of every planned media file, and the PDQ of each family's original. */
async function drawMedia(
  plan: FeedPlan,
  concurrency: number,
): Promise<{ media: Map<string, Buffer>; familyPdq: Map<string, string> }> {
  const media = new Map<string, Buffer>();
  const familyPdq = new Map<string, string>();
  const originals = new Set(plan.families.map((family) => family.originalKey));
  const single = [...plan.media.values()].filter(
    (entry) => entry.spec.kind !== 'variant' && !originals.has(entry.key),
  );
  const drawn = await mapLimit(single, concurrency, (entry) =>
    renderMedia(entry.spec as Parameters<typeof renderMedia>[0]),
  );
  for (const [index, entry] of single.entries()) media.set(entry.key, drawn[index]!);
  const families = await mapLimit(plan.families, concurrency, (family) => {
    const spec = plan.media.get(family.originalKey)!.spec;
    if (spec.kind !== 'shapes') throw new Error(`feed generator bug: ${family.originalKey} is not drawn`);
    return drawFamily(spec);
  });
  for (const [index, family] of plan.families.entries()) {
    const { original, pdq, variants } = families[index]!;
    media.set(family.originalKey, original);
    familyPdq.set(family.id, pdq);
    for (const [edit, bytes] of variants) {
      const key = `${family.id}/${edit}`;
      if (plan.media.has(key)) media.set(key, bytes);
    }
  }
  return { media, familyPdq };
}

function digestOf(bytes: Buffer): MediaDigest {
  const hex = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
  return {
    sha256: hex('sha256'),
    md5: hex('md5'),
    sha1: hex('sha1'),
    size: bytes.length,
    mediaType: sniffMediaType(bytes.subarray(0, 512)).mediaType,
  };
}

/** Sorted keys at every level, so the ground truth reads the same whatever order it was built in. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, inner]) => [key, sortKeys(inner)]),
    );
  }
  return value;
}

interface Writer {
  readonly files: { relative: string; bytes: Buffer | string }[];
}

function bundleFiles(
  plan: FeedPlan,
  bundle: PlannedBundle,
  media: Map<string, Buffer>,
  digests: Map<string, MediaDigest>,
) {
  const entries: { name: string; bytes: Buffer | string }[] = [
    { name: 'bundle.json', bytes: bundleJson(plan, bundle, digests) },
  ];
  for (const index of bundle.reports) {
    const report = plan.reports[index]!;
    for (const file of report.files) {
      entries.push({ name: entryNameOf(plan, report, file), bytes: media.get(file.mediaKey)! });
    }
  }
  return entries;
}

async function writeZip(target: string, entries: { name: string; bytes: Buffer | string }[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const isManifest = typeof entry.bytes === 'string';
    zip.addBuffer(isManifest ? Buffer.from(entry.bytes) : (entry.bytes as Buffer), entry.name, {
      mtime: ZIP_MTIME,
      mode: 0o100644,
      forceDosTimestamp: true,
      // Media is already compressed; only the manifest gains from deflate.
      compress: isManifest,
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(target));
}

/** Generates a synthetic feed into `options.out`. Throws TRIAGE_CONFIG_INVALID for bad options. */
export async function generateFeed(options: GenerateFeedOptions): Promise<GenerateFeedResult> {
  const seed = integerOption('seed', options.seed, 0, 0xffff_ffff);
  const reports = integerOption('reports', options.reports, 1, 100_000);
  const maxFiles = integerOption('max-files', options.maxFiles ?? 2000, 1, 100_000);
  const reportsPerBundle = integerOption('reports-per-bundle', options.reportsPerBundle ?? 10, 1, 10_000);
  const concurrency = integerOption('concurrency', options.concurrency ?? 4, 1, 64);
  const takedowns = integerOption('takedowns', options.takedowns ?? 0, 0, 1_000_000);
  const homeCountry = options.homeCountry ?? 'NL';
  if (!feedCountries.includes(homeCountry)) {
    throw invalid('home-country', `--home-country must be one of ${feedCountries.join(', ')}`);
  }
  if (!FEED_FORMATS.includes(options.format)) {
    throw invalid('format', `--format must be one of ${FEED_FORMATS.join(', ')}`);
  }
  const out = path.resolve(options.out);
  await ensureEmptyDirectory(out);

  const plan = planFeed({ seed, reports, maxFiles, reportsPerBundle, homeCountry, format: options.format });
  const { media, familyPdq } = await drawMedia(plan, concurrency);
  const digests = new Map([...media].map(([key, bytes]) => [key, digestOf(bytes)]));
  const groundTruth = buildGroundTruth({ plan, format: options.format, digests, familyPdq });

  const writer: Writer = { files: [] };
  const zips: { target: string; entries: { name: string; bytes: Buffer | string }[] }[] = [];
  if (options.format === 'xml') {
    for (const report of plan.reports) {
      const base = xmlPackagePath(report);
      writer.files.push({ relative: `${base}/report.xml`, bytes: reportXml(report) });
      report.files.forEach((file, index) => {
        writer.files.push({
          relative: `${base}/fileDetails-${index + 1}.xml`,
          bytes: fileDetailsXml(plan, report, file, digests),
        });
        writer.files.push({
          relative: `${base}/${entryNameOf(plan, report, file)}`,
          bytes: media.get(file.mediaKey)!,
        });
      });
    }
  } else {
    for (const bundle of plan.bundles) {
      const entries = bundleFiles(plan, bundle, media, digests);
      if (options.format === 'zip') zips.push({ target: `bundles/${bundle.bundleRef}.zip`, entries });
      else
        for (const entry of entries)
          writer.files.push({ relative: `bundles/${bundle.bundleRef}/${entry.name}`, bytes: entry.bytes });
    }
  }
  writer.files.push({
    relative: 'ground-truth.json',
    bytes: `${JSON.stringify(sortKeys(groundTruth), null, 2)}\n`,
  });
  writer.files.push({ relative: 'known-hashes.csv', bytes: knownHashesCsv(plan, digests, familyPdq) });
  const takedownMonth = takedowns > 0 ? takedownFiles(seed, takedowns, groundTruth) : null;
  if (takedownMonth) writer.files.push(...takedownMonth.files);

  const directories = new Set(
    [...writer.files.map((file) => file.relative), ...zips.map((zip) => zip.target)].map(path.dirname),
  );
  for (const directory of [...directories].sort())
    await mkdir(path.join(out, directory), { recursive: true });
  await mapLimit(writer.files, 16, (file) => writeFile(path.join(out, file.relative), file.bytes));
  for (const zip of zips) await writeZip(path.join(out, zip.target), zip.entries);

  return {
    out,
    format: options.format,
    mediaDrawn: media.size,
    filesWritten: writer.files.length + zips.length,
    counts: groundTruth.counts,
    takedowns: takedownMonth?.summary ?? null,
  };
}
