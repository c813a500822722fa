/**
 * Synthetic receipts of realistic size (about 1.6 KB Avro-encoded: one to three reports, each
 * with the partner-hash warnings intake writes), deterministic by index. Every receipt is
 * invented; ids are counters.
 */
import { createHash } from 'node:crypto';
import type { BundleStatus } from '@triage/schemas';

/** Receipts spread over this many partners and days, as the quota rows would be. */
const partners = 20;
const dayMs = 86_400_000;
const firstDay = Date.parse('2026-11-01T00:00:00Z');

const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');
/** 32 hex digits that differ per file, cheaply (the generator is not what is measured). */
const fakeMd5 = (index: number, report: number, file: number) =>
  ((index * 12 + report * 4 + file) * 2654435761).toString(16).padStart(32, '0').slice(-32);

export function syntheticReceipt(index: number): BundleStatus {
  const partnerId = `partner-${index % partners}`;
  const receivedAt = firstDay + Math.floor(index / 40_000) * dayMs + (index % 40_000);
  const reports = 1 + (index % 3);
  // One receipt in ten re-sends a report an earlier receipt carried: a second version.
  const resent = index % 10 === 9 && index >= partners;
  return {
    // As intake names bundles: `bndl-` + 24 hex of a sha256, so keys arrive in random order.
    bundleId: `bndl-${hex(`bundle-${index}`).slice(0, 24)}`,
    partnerId,
    partnerBundleRef: `batch-${index.toString().padStart(9, '0')}`,
    receivedAt,
    contentDigest: hex(`content-${index}`),
    format: 'json',
    stage: 'received',
    updatedAt: receivedAt,
    fileCount: reports * 3,
    newFileCount: reports,
    byteCount: reports * 3 * 180_000,
    reports: Array.from({ length: reports }, (_, report) => {
      const partnerReportId =
        resent && report === 0 ? `report-${index - partners}-0` : `report-${index}-${report}`;
      return {
        reportId: `${partnerId}:${partnerReportId}`,
        partnerReportId,
        version: resent && report === 0 ? 2 : 1,
        fileCount: 3,
        itemCount: null,
        errors: Array.from({ length: 4 }, (_, file) => ({
          code: 'partner_hash_mismatch',
          pointer: `/reports/${report}/files/${file}/hashes/0`,
          message: `MD5 ${fakeMd5(index, report, file)} given by the partner differs from the MD5 of the bytes received (file ${file + 1} of the report)`,
        })),
      };
    }),
  };
}
