/**
 * A simulated year of NCMEC-like traffic, truncated to a number of days: the year's rate of reports
 * and files, its files-per-report mix and its share of files seen before, so that a few days (or a
 * fraction of one) have the key distribution and record sizes of the full year, and per-million
 * figures measured on them extrapolate to it. Pure and seeded: the same options give the same plan.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from '@triage/feed/synthetic-images';

/** NCMEC's CyberTipline in a year: about 36 million reports carrying about 106 million files. */
export const ncmecYear = { reports: 36_000_000, files: 106_000_000 } as const;

export const reportsPerDay = ncmecYear.reports / 365;

/**
 * Files per report and the share of reports with that many: many reports carry one file, few
 * carry tens. The mean is 2.94, the year's 106M / 36M; a tenth carry none (URLs and text only).
 */
export const filesPerReportMix: readonly { readonly files: number; readonly share: number }[] = [
  { files: 0, share: 0.1 },
  { files: 1, share: 0.4 },
  { files: 2, share: 0.2 },
  { files: 3, share: 0.1 },
  { files: 5, share: 0.1 },
  { files: 10, share: 0.08 },
  { files: 27, share: 0.02 },
];

/** One file of a planned report. */
export interface PlannedFile {
  readonly sha256: string;
  /** A file seen in an earlier report (a sighting of known material), not a new one. */
  readonly repeat: boolean;
  /** An image (perceptual hashes), otherwise a video or other file (exact hashes only). */
  readonly image: boolean;
  /** EXIF name-value pairs the partner sent (0-16): what makes item records 0.4-2 KB. */
  readonly exifPairs: number;
}

export interface PlannedReport {
  /** 0, 1, 2... in arrival order. */
  readonly index: number;
  /** Digits only (the scorer's fixtures derive an address from it). */
  readonly partnerReportId: string;
  readonly receivedAt: number;
  readonly files: readonly PlannedFile[];
}

export interface SimulatedYearOptions {
  /** Days of the year to plan (fractions allowed): `days * reportsPerDay` reports. */
  readonly days: number;
  readonly seed?: number;
  /**
   * Share of files that are sightings of a file seen before. NCMEC publishes no exact figure;
   * it says most files it receives were reported before. 0.5 is the assumption of record.
   */
  readonly repeatShare?: number;
  /** Share of files that are images. */
  readonly imageShare?: number;
  /** Epoch ms of the first report. */
  readonly start?: number;
}

/** The sha256 of the n-th distinct file of the simulation (64 hex, as the hasher writes it). */
export function fileSha256(n: number): string {
  return createHash('sha256').update(`bench-state-file-${n}`).digest('hex');
}

export function reportCountOf(days: number): number {
  return Math.max(1, Math.round(days * reportsPerDay));
}

/**
 * The reports of `days` of the year, in arrival order. A repeat picks an earlier distinct file
 * with a skew towards the first ones (r² over the files so far): material that circulates widely
 * is reported again and again, most files only a few times.
 */
export function* simulatedYear(options: SimulatedYearOptions): Generator<PlannedReport> {
  const random = seededRandom(options.seed ?? 2026);
  const repeatShare = options.repeatShare ?? 0.5;
  const imageShare = options.imageShare ?? 0.8;
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const reports = reportCountOf(options.days);
  const dayMs = 86_400_000;
  let distinct = 0;
  for (let index = 0; index < reports; index++) {
    const count = drawFileCount(random());
    const files: PlannedFile[] = [];
    const inReport = new Set<number>();
    for (let n = 0; n < count; n++) {
      const drawn = distinct > 0 && random() < repeatShare ? Math.floor(distinct * random() ** 2) : null;
      // The same file twice in one report counts once in dedupe: a new file instead.
      const file = drawn !== null && !inReport.has(drawn) ? drawn : distinct++;
      const repeat = file === drawn;
      inReport.add(file);
      files.push({
        sha256: fileSha256(file),
        repeat,
        image: random() < imageShare,
        exifPairs: Math.floor(random() * 17),
      });
    }
    yield {
      index,
      partnerReportId: String(1_000_000 + index),
      receivedAt: Math.floor(start + (index / reportsPerDay) * dayMs),
      files,
    };
  }
}

function drawFileCount(draw: number): number {
  let cumulative = 0;
  for (const { files, share } of filesPerReportMix) {
    cumulative += share;
    if (draw < cumulative) return files;
  }
  return filesPerReportMix.at(-1)!.files;
}
