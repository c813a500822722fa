/**
 * The records of a planned report as the stages hold them: the report, its enriched items (what
 * the scorer keeps) and the hashed items dedupe reads from media.observed. Built on the scorer's
 * fixtures, with what makes an item 0.4-2 KB in practice: a file name, the URL it was found at,
 * EXIF name-value pairs and, for images, the PDQ hash with its eight dihedral variants.
 */
import { createHash } from 'node:crypto';
import type { Codec, EnrichedItem, HashedItem, Report } from '@triage/schemas';
import { makeItem, makeReport } from '@triage/scorer/testing';
import type { PlannedFile, PlannedReport } from './simulated-year.ts';

export interface ReportRecords {
  readonly report: Report;
  readonly items: readonly EnrichedItem[];
}

function hex64(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** The PDQ of a simulated image (random bits: no two images are near duplicates by chance). */
export function pdqOf(sha256: string): string {
  return hex64(`pdq/${sha256}`);
}

function enrichedItem(codec: Codec, report: Report, file: PlannedFile, index: number): EnrichedItem {
  const base = makeItem(codec, report, index);
  const pdq = pdqOf(file.sha256);
  return {
    ...base,
    item: {
      ...base.item,
      sha256: file.sha256,
      mediaType: file.image ? 'image/jpeg' : 'video/mp4',
      originalFileName: `IMG_${file.sha256.slice(0, 8)}.${file.image ? 'jpg' : 'mp4'}`,
      locationOfFile: `https://files.example.com/u/${file.sha256.slice(8, 20)}/${index}`,
      details: Array.from({ length: file.exifPairs }, (_, pair) => ({
        type: 'EXIF' as const,
        name: `Exif.Tag${pair}`,
        value: `value-${file.sha256.slice(pair, pair + 12)}`,
      })),
    },
    hashes: {
      ...base.hashes!,
      sha256: file.sha256,
      ...(file.image
        ? {
            pdq,
            pdqQuality: 90,
            pdqDihedral: Array.from({ length: 8 }, (_, variant) => hex64(`${pdq}/${variant}`)),
            pdqMode: 'reference-no-exif-rotate',
            perceptualStatus: 'hashed' as const,
          }
        : {}),
    },
  };
}

/** The report and its items as the scorer receives them (Avro-shaped values). */
export function reportRecords(codec: Codec, planned: PlannedReport): ReportRecords {
  const report = makeReport(codec, planned.partnerReportId, planned.files.length, {
    receivedAt: planned.receivedAt,
  });
  return {
    report,
    items: planned.files.map((file, index) => enrichedItem(codec, report, file, index)),
  };
}

/** What the hasher hands dedupe on media.observed for an item (no matches, no dedupe yet). */
export function observedItem(item: EnrichedItem): HashedItem {
  return { item: item.item, hashes: item.hashes, matches: [], dedupe: null };
}
