import { createHash } from 'node:crypto';
import type { Bundle, BundledReport, BundleFormat, Report } from '@triage/schemas';
import type { AssembledBundle } from '../parsed-bundle.ts';
import { reportedUrls } from '../split/index.ts';
import { bundleIdFor, reportIdFor } from './ids.ts';

/** What intake (or `bundle validate`) knows about a bundle besides its content. */
export interface BundleEnvelope {
  readonly partnerId: string;
  readonly partnerBundleRef: string;
  /** Id of the API key that authenticated the upload (null outside intake, e.g. `bundle validate`). */
  readonly keyId?: string | null;
  /** Epoch ms. */
  readonly receivedAt: number;
  readonly format: BundleFormat;
  readonly sourceSha256: string | null;
  /** The version this bundle gives a report: 1 for a new report id, latest + 1 for a revision. */
  versionOf(reportId: string): number;
}

/** The Avro `Bundle` record: envelope ids, versions and received-at around the assembled reports. */
export function toBundleRecord(assembled: AssembledBundle, envelope: BundleEnvelope): Bundle {
  const bundleId = bundleIdFor(envelope.partnerId, envelope.partnerBundleRef);
  const reports = assembled.reports.map((assembledReport): BundledReport => {
    const reportId = reportIdFor(envelope.partnerId, assembledReport.partnerReportId);
    const { driftNotes, ...fields } = assembledReport.fields;
    const report: Report = {
      reportId,
      partnerId: envelope.partnerId,
      partnerReportId: assembledReport.partnerReportId,
      version: envelope.versionOf(reportId),
      bundleId,
      receivedAt: envelope.receivedAt,
      ...fields,
      itemCount: 0,
      fileIds: assembledReport.files.map((file) => file.fileId),
      driftNotes,
    };
    // One item per file and per distinct reported URL, counted as the splitter counts them.
    report.itemCount = assembledReport.files.length + reportedUrls(report).length;
    return { report, files: [...assembledReport.files] };
  });
  return {
    bundleId,
    partnerId: envelope.partnerId,
    partnerBundleRef: envelope.partnerBundleRef,
    keyId: envelope.keyId ?? null,
    receivedAt: envelope.receivedAt,
    format: envelope.format,
    sourceSha256: envelope.sourceSha256,
    reports,
    // Every drift note found so far belongs to a report; none sits outside one.
    driftNotes: [],
  };
}

/**
 * sha256 of the normalised content: the reports and their files (with the stored bytes' sha256),
 * without the envelope (bundle id, received-at, versions, format, transport), in a canonical
 * JSON form. A retry of the same bundle gives the same digest; a re-used bundle reference with
 * other content does not.
 */
export function bundleContentDigest(bundle: Bundle): string {
  const content = bundle.reports.map(({ report, files }) => {
    const { bundleId: _bundleId, receivedAt: _receivedAt, version: _version, ...rest } = report;
    return { report: rest, files };
  });
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
