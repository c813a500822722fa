// The packages the load sends: a generated feed (one report a package) used as a pool, each
// upload a pool package under a bundle reference and report ids of its own, so ten minutes of load
// need only a few hundred drawn reports (the images stay the feed's synthetic ones).
import { openAsBlob } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type GroundTruth, generateFeed } from '@triage/feed';

interface PoolPackage {
  readonly partnerId: string;
  readonly folder: string;
  readonly manifest: { bundleRef: string; reports: { reportId: string }[] } & Record<string, unknown>;
  /** Media entries, relative to the folder (`media/<report>/<file>`). */
  readonly files: readonly string[];
  /** Items the splitter makes of each report: one per file and per distinct reported URL. */
  readonly reportItems: readonly number[];
  /** Their sum: the package's items. */
  readonly items: number;
}

export interface FeedPool {
  readonly dir: string;
  readonly partners: readonly string[];
  readonly packages: readonly PoolPackage[];
  readonly files: number;
}

/** One upload: the pool package it repeats, under its own ids. */
export interface LoadUpload {
  readonly partnerId: string;
  readonly bundleRef: string;
  /** The pipeline's report ids (`partnerId:partnerReportId`) and each one's item count. */
  readonly reports: readonly { reportId: string; items: number }[];
  readonly items: number;
  /** The multipart body, built on demand (files read as sent). */
  form(): Promise<FormData>;
}

/** Generates a JSON feed of `reports` reports (one a package, at most `maxFiles` files) and reads it back. */
export async function generatePool(options: {
  dir: string;
  seed: number;
  reports: number;
  maxFiles: number;
}): Promise<FeedPool> {
  await generateFeed({
    seed: options.seed,
    reports: options.reports,
    out: options.dir,
    format: 'json',
    maxFiles: options.maxFiles,
    reportsPerBundle: 1,
  });
  const truth = JSON.parse(
    await readFile(path.join(options.dir, 'ground-truth.json'), 'utf8'),
  ) as GroundTruth;
  const itemsOf = new Map(
    truth.reports.map((report) => [report.reportId, report.fileCount + report.urlCount]),
  );
  const packages = await Promise.all(
    truth.packages.map(async (entry): Promise<PoolPackage> => {
      const folder = path.join(options.dir, entry.path);
      const manifest = JSON.parse(await readFile(path.join(folder, 'bundle.json'), 'utf8'));
      const files = (await readdir(folder, { recursive: true, withFileTypes: true }))
        .filter((file) => file.isFile() && file.name !== 'bundle.json')
        .map((file) => path.relative(folder, path.join(file.parentPath, file.name)).split(path.sep).join('/'))
        .sort();
      const reportItems = entry.reportIds.map((id) => itemsOf.get(id) ?? 0);
      const items = reportItems.reduce((sum, count) => sum + count, 0);
      return { partnerId: entry.partnerId, folder, manifest, files, reportItems, items };
    }),
  );
  return {
    dir: options.dir,
    partners: truth.partners.map((partner) => partner.partnerId),
    packages,
    files: packages.reduce((sum, entry) => sum + entry.files.length, 0),
  };
}

/** Upload `index` of a run: pool package `index mod size`, with a bundle reference and partner report ids no other upload has. */
export function loadUpload(pool: FeedPool, index: number, runTag: string): LoadUpload {
  const entry = pool.packages[index % pool.packages.length]!;
  const bundleRef = `${entry.manifest.bundleRef}-${runTag}-${index}`;
  // Numeric like the feed's own ids; the upload index keeps them apart.
  const partnerReportIds = entry.manifest.reports.map((_, n) => String(8_000_000_000 + index * 10 + n));
  return {
    partnerId: entry.partnerId,
    bundleRef,
    reports: partnerReportIds.map((id, n) => ({
      reportId: `${entry.partnerId}:${id}`,
      items: entry.reportItems[n] ?? 0,
    })),
    items: entry.items,
    async form() {
      const manifest = {
        ...entry.manifest,
        bundleRef,
        reports: entry.manifest.reports.map((report, n) => ({ ...report, reportId: partnerReportIds[n]! })),
      };
      const form = new FormData();
      form.append(
        'manifest',
        new Blob([JSON.stringify(manifest)], { type: 'application/json' }),
        'bundle.json',
      );
      for (const name of entry.files) {
        form.append(
          'file',
          await openAsBlob(path.join(entry.folder, name), { type: 'application/octet-stream' }),
          name,
        );
      }
      return form;
    },
  };
}
