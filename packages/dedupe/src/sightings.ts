import type { MediaSighting, MediaSummary } from '@triage/schemas';

/** One report carrying one stored file. */
export interface Sighting {
  sha256: string;
  reportId: string;
  itemId: string;
  receivedAt: number;
}

export interface SightingOutcome {
  summary: MediaSummary;
  sighting: MediaSighting;
  /** False when this report was already counted (a replay, a duplicate delivery, a second item). */
  isNewReport: boolean;
}

/** Key of a sighting in its store: one per (file, report). */
export function sightingKey(sha256: string, reportId: string): string {
  return `${sha256}|${reportId}`;
}

/**
 * Counts a report as carrying a file. Set-like: a report already counted (replay, duplicate
 * delivery, the same file twice in one report) changes nothing and gets the same ordinal back,
 * so the item's "n-th report to carry this file" is the same however often it is processed.
 * First seen is the earliest receipt, whatever order the sightings arrive in.
 */
export function recordSighting(
  summary: MediaSummary | undefined,
  existing: MediaSighting | undefined,
  sighting: Sighting,
): SightingOutcome {
  if (existing && summary) return { summary, sighting: existing, isNewReport: false };
  const ordinal = (summary?.reportCount ?? 0) + 1;
  const earlier = summary && isEarlier(summary.firstSeenAt, summary.firstSeenReportId, sighting);
  const next: MediaSummary = {
    sha256: sighting.sha256,
    firstSeenReportId: earlier ? summary.firstSeenReportId : sighting.reportId,
    firstSeenItemId: earlier ? summary.firstSeenItemId : sighting.itemId,
    firstSeenAt: earlier ? summary.firstSeenAt : sighting.receivedAt,
    reportCount: ordinal,
  };
  return {
    summary: next,
    // What was known when this report was counted: a replay answers the same, even after an
    // earlier report turned up later and moved the file's first sighting.
    sighting: {
      sha256: sighting.sha256,
      reportId: sighting.reportId,
      ordinal,
      seenAt: sighting.receivedAt,
      firstSeenReportId: next.firstSeenReportId,
      firstSeenAt: next.firstSeenAt,
    },
    isNewReport: true,
  };
}

function isEarlier(firstSeenAt: number, firstSeenReportId: string, sighting: Sighting): boolean {
  if (firstSeenAt !== sighting.receivedAt) return firstSeenAt < sighting.receivedAt;
  return firstSeenReportId <= sighting.reportId;
}
