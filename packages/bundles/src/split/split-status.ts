import type { Bundle, BundleStatus, ReportStatus } from '@triage/schemas';

/**
 * Key of the splitter's status record on intake.status.v1. Intake writes its receipt under the
 * bare bundle id; a key of its own keeps the split status from replacing the receipt when the
 * topic is compacted. Intake merges the two when it answers a status request.
 */
export function splitStatusKey(bundleId: string): string {
  return `${bundleId}#split`;
}

export interface SplitStatusFacts {
  /** `bundleContentDigest(bundle)`: the same digest intake put on its receipt. */
  contentDigest: string;
  /** When the status is written (epoch ms). */
  updatedAt: number;
}

/** The `split` BundleStatus of a bundle, from the bundle and the per-report statuses of its split. */
export function splitBundleStatus(
  bundle: Bundle,
  reports: ReportStatus[],
  facts: SplitStatusFacts,
): BundleStatus {
  let fileCount = 0;
  let byteCount = 0;
  for (const { files } of bundle.reports) {
    fileCount += files.length;
    for (const file of files) byteCount += file.size ?? 0;
  }
  return {
    bundleId: bundle.bundleId,
    partnerId: bundle.partnerId,
    partnerBundleRef: bundle.partnerBundleRef,
    receivedAt: bundle.receivedAt,
    contentDigest: facts.contentDigest,
    format: bundle.format,
    stage: 'split',
    updatedAt: facts.updatedAt,
    fileCount,
    // Only intake knew which bytes the content store already had: its receipt has the real count.
    newFileCount: 0,
    byteCount,
    reports,
  };
}
