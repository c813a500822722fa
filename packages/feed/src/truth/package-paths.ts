// Where each report and media file sits in the output directory, per format.
import type { FeedFormat } from '../ground-truth.ts';
import type { FeedPlan, PlannedFile, PlannedReport } from '../types.ts';
import { reportIdOf } from './report-ids.ts';

/** The media entry of a file: unique within a bundle, since file ids repeat across reports. */
export function entryNameOf(plan: FeedPlan, report: PlannedReport, file: PlannedFile): string {
  return `media/${report.partnerReportId}/${file.fileId}.${plan.media.get(file.mediaKey)!.extension}`;
}

/** The partner report id must be numeric for XML (fileDetails/reportId is xs:long); the directory name says whose it is. */
export function xmlPackagePath(report: PlannedReport): string {
  return `reports/${report.partnerId}-${report.partnerReportId}`;
}

/** The package (path relative to the output directory, and bundle ref) that holds report `index`. */
export function packagePath(
  plan: FeedPlan,
  format: FeedFormat,
  index: number,
): { path: string; bundleRef: string } {
  const report = plan.reports[index]!;
  if (format === 'xml')
    return { path: xmlPackagePath(report), bundleRef: `${report.partnerId}-${report.partnerReportId}` };
  const bundle = plan.bundles.find((candidate) => candidate.reports.includes(index))!;
  return {
    path: `bundles/${bundle.bundleRef}${format === 'zip' ? '.zip' : ''}`,
    bundleRef: bundle.bundleRef,
  };
}

export interface TruthPackage {
  readonly path: string;
  readonly partnerId: string;
  readonly bundleRef: string;
  readonly reportIds: readonly string[];
}

/** Every package of the feed with the reports it holds, in report order. */
export function packagesOf(plan: FeedPlan, format: FeedFormat): TruthPackage[] {
  const packages = new Map<
    string,
    { path: string; partnerId: string; bundleRef: string; reportIds: string[] }
  >();
  plan.reports.forEach((report, index) => {
    const { path, bundleRef } = packagePath(plan, format, index);
    const entry = packages.get(path) ?? { path, partnerId: report.partnerId, bundleRef, reportIds: [] };
    entry.reportIds.push(reportIdOf(report));
    packages.set(path, entry);
  });
  return [...packages.values()];
}
