import type { EnrichedItem, LinkedReport, NetworkEnrichment, Report } from '@triage/schemas';

/** Everything the score of one report version is computed from; nothing else is read. */
export interface ReportEvidence {
  readonly report: Report;
  /** The report's items (files and URLs) with hashes, list matches, dedupe and enrichment. */
  readonly items: readonly EnrichedItem[];
  /** Enrichment of the report's own addresses: persons' IP capture events, profile and incident URLs. */
  readonly reportEnrichment: readonly NetworkEnrichment[];
  /** Other reports sharing a suspect identifier with this one. */
  readonly links: readonly LinkedReport[];
  /** The time recency is measured from (epoch ms). Pass a fixed time (e.g. receivedAt) for replayable scores. */
  readonly now: number;
}

/**
 * How new a content item is. `known`: matches a known-hash list. `seen`: no list match, but the
 * same bytes are in another report. `near_duplicate`: no list match, but a PDQ neighbour outside
 * this report. `new`: none of these. Only content items (images, videos, anything a list matched)
 * have one; text files and URLs do not.
 */
export type ContentNovelty = 'known' | 'seen' | 'near_duplicate' | 'new';

/** Files that are pictures or videos, or that a known-hash list matched: the report's content. */
function isContentItem(enriched: EnrichedItem): boolean {
  if (enriched.item.kind !== 'file') return false;
  if (enriched.matches.length > 0) return true;
  return /^(image|video)\//.test(enriched.item.mediaType ?? '');
}

/**
 * The novelty of a content item, from its list matches and dedupe facts. `reportSha256s` are the
 * sha256 of this report's own items: a near-duplicate neighbour among them is no evidence that the
 * content was seen elsewhere.
 */
function noveltyOf(enriched: EnrichedItem, reportSha256s: ReadonlySet<string>): ContentNovelty {
  if (enriched.matches.length > 0) return 'known';
  const dedupe = enriched.dedupe;
  if (dedupe === null) return 'new';
  if (dedupe.reportCount > 1 || dedupe.firstSeenReportId !== enriched.item.reportId) return 'seen';
  const elsewhere = (sha256: string | null) => sha256 !== null && !reportSha256s.has(sha256);
  if (elsewhere(dedupe.nearestSha256) || elsewhere(dedupe.nearDuplicateClusterId)) return 'near_duplicate';
  return 'new';
}

/** Content items of the evidence with their novelty, in item order. */
export function contentOf(evidence: ReportEvidence): { item: EnrichedItem; novelty: ContentNovelty }[] {
  const own = new Set(
    evidence.items.flatMap((each) => (each.item.sha256 === null ? [] : [each.item.sha256])),
  );
  return evidence.items.filter(isContentItem).map((item) => ({ item, novelty: noveltyOf(item, own) }));
}
