import type {
  Bundle,
  BundledReport,
  Item,
  Report,
  ReportFile,
  ReportIssue,
  ReportStatus,
} from '@triage/schemas';
import { reportIssues } from './report-issues.ts';

/** What one bundle splits into: one Report per bundled report, its Items, and what the split found. */
export interface SplitResult {
  /** One per bundled report, in bundle order, with `itemCount` and `fileIds` as split. */
  reports: Report[];
  /** Every report's items in report order; within a report files first, then URLs. */
  items: Item[];
  /** One per report, in bundle order (the `reports` of the split BundleStatus). */
  statuses: ReportStatus[];
}

export interface SplitOptions {
  /**
   * Most issues listed per report; the rest are summed up in one `issues_truncated` issue, so a
   * viral report with thousands of mismatching hashes still fits the status record.
   */
  maxIssuesPerReport?: number;
}

const defaultMaxIssuesPerReport = 50;

/**
 * Splits an accepted bundle into report and item records. Pure and deterministic: the same bundle
 * always gives the same records (ids `<reportId>/<fileId>` and `<reportId>/url:<n>`), so a replay
 * or a re-delivered bundle overwrites rather than adds.
 */
export function splitBundle(bundle: Bundle, options: SplitOptions = {}): SplitResult {
  const maxIssues = options.maxIssuesPerReport ?? defaultMaxIssuesPerReport;
  const result: SplitResult = { reports: [], items: [], statuses: [] };
  bundle.reports.forEach((bundled, reportIndex) => {
    const split = splitReport(bundled, reportIndex);
    result.reports.push(split.report);
    result.items.push(...split.items);
    result.statuses.push({
      reportId: split.report.reportId,
      partnerReportId: split.report.partnerReportId,
      version: split.report.version,
      fileCount: bundled.files.length,
      itemCount: split.items.length,
      errors: capped(split.issues, maxIssues),
    });
  });
  return result;
}

/**
 * A report's reported URLs: every `internetDetails[].urls` entry in order, each distinct URL once
 * (the same URL under two incident entries is one thing to enrich and take down, not two).
 */
export function reportedUrls(report: Report): string[] {
  return [...new Set(report.internetDetails.flatMap((detail) => detail.urls))];
}

function splitReport(
  bundled: BundledReport,
  reportIndex: number,
): { report: Report; items: Item[]; issues: ReportIssue[] } {
  const source = bundled.report;
  const urls = reportedUrls(source);
  const itemCount = bundled.files.length + urls.length;
  const fileIds = bundled.files.map((file) => file.fileId);
  const report: Report = { ...source, itemCount, fileIds };

  const seenFileIds = new Set<string>();
  const items: Item[] = [];
  bundled.files.forEach((file, fileIndex) => {
    // File ids are unique within a report (intake checks); should two collide anyway, the later
    // one gets a suffixed id so the scorer still sees itemCount distinct items.
    const itemId = seenFileIds.has(file.fileId)
      ? `${report.reportId}/${file.fileId}#${fileIndex}`
      : `${report.reportId}/${file.fileId}`;
    seenFileIds.add(file.fileId);
    items.push(fileItem(report, file, itemId, fileIndex, itemCount));
  });
  urls.forEach((url, urlIndex) => {
    items.push(urlItem(report, url, urlIndex, bundled.files.length + urlIndex, itemCount));
  });

  return { report, items, issues: reportIssues(bundled, reportIndex, report) };
}

function itemEnvelope(report: Report, itemIndex: number, itemCount: number) {
  return {
    reportId: report.reportId,
    reportVersion: report.version,
    partnerId: report.partnerId,
    bundleId: report.bundleId,
    receivedAt: report.receivedAt,
    itemIndex,
    itemCount,
  };
}

/** Every ReportFile field, copied one by one so a new file field fails typecheck until it is mapped. */
function fileItem(
  report: Report,
  file: ReportFile,
  itemId: string,
  itemIndex: number,
  itemCount: number,
): Item {
  return {
    itemId,
    ...itemEnvelope(report, itemIndex, itemCount),
    kind: 'file',
    url: null,
    fileId: file.fileId,
    sha256: file.sha256,
    size: file.size,
    mediaType: file.mediaType,
    fileName: file.fileName,
    originalFileName: file.originalFileName,
    locationOfFile: file.locationOfFile,
    uploadedToEspAt: file.uploadedToEspAt,
    fileViewedByEsp: file.fileViewedByEsp,
    exifViewedByEsp: file.exifViewedByEsp,
    publiclyAvailable: file.publiclyAvailable,
    fileRelevance: file.fileRelevance,
    fileAnnotations: file.fileAnnotations,
    industryClassification: file.industryClassification,
    partnerHashes: file.partnerHashes,
    partnerHashChecks: file.partnerHashChecks,
    uploadIpEvent: file.uploadIpEvent,
    details: file.details,
    additionalInfo: file.additionalInfo,
  };
}

function urlItem(report: Report, url: string, urlIndex: number, itemIndex: number, itemCount: number): Item {
  return {
    itemId: `${report.reportId}/url:${urlIndex}`,
    ...itemEnvelope(report, itemIndex, itemCount),
    kind: 'url',
    url,
    fileId: null,
    sha256: null,
    size: null,
    mediaType: null,
    fileName: null,
    originalFileName: null,
    locationOfFile: null,
    uploadedToEspAt: null,
    fileViewedByEsp: null,
    exifViewedByEsp: null,
    publiclyAvailable: null,
    fileRelevance: null,
    fileAnnotations: [],
    industryClassification: null,
    partnerHashes: [],
    partnerHashChecks: [],
    uploadIpEvent: null,
    details: [],
    additionalInfo: null,
  };
}

function capped(issues: ReportIssue[], max: number): ReportIssue[] {
  if (issues.length <= max) return issues;
  const rest = issues.length - max;
  return [
    ...issues.slice(0, max),
    { code: 'issues_truncated', pointer: null, message: `${rest} further issues not listed` },
  ];
}
