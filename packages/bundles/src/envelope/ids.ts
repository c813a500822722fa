import { createHash } from 'node:crypto';

/**
 * Deterministic ids, so a replay or a re-sent bundle yields the same records:
 * `bndl-` + the first 24 hex digits of sha256(`partnerId\npartnerBundleRef`).
 */
export function bundleIdFor(partnerId: string, partnerBundleRef: string): string {
  const digest = createHash('sha256').update(`${partnerId}\n${partnerBundleRef}`).digest('hex');
  return `bndl-${digest.slice(0, 24)}`;
}

/** `partnerId:partnerReportId`: the key of every report-keyed topic. */
export function reportIdFor(partnerId: string, partnerReportId: string): string {
  return `${partnerId}:${partnerReportId}`;
}
