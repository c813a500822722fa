import type {
  Case,
  CaseEnrichmentSummary,
  CaseItemSummary,
  EnrichedItem,
  LinkedReport,
  NetworkEnrichment,
} from '@triage/schemas';
import { contentOf, type ReportEvidence } from './evidence.ts';
import type { ReportScore } from './score-report.ts';

export interface BuildCaseOptions {
  /** True while some items of the version have not been seen yet. */
  readonly provisional: boolean;
  /** When the case is emitted (epoch ms); pass a time derived from the input for replayable cases. */
  readonly updatedAt: number;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** The Avro Case of a scored report: report facts, item summaries, network facts, score and reasons. */
export function buildCase(evidence: ReportEvidence, scored: ReportScore, options: BuildCaseOptions): Case {
  const { report } = evidence;
  const items = distinctItems(evidence.items);
  const novelty = new Map(
    contentOf({ ...evidence, items }).map(({ item, novelty }) => [item.item.itemId, novelty] as const),
  );
  return {
    reportId: report.reportId,
    version: report.version,
    report: {
      partnerId: report.partnerId,
      partnerReportId: report.partnerReportId,
      bundleId: report.bundleId,
      receivedAt: report.receivedAt,
      incidentType: report.incidentType,
      incidentTypeText: report.incidentTypeText,
      incidentDateTime: report.incidentDateTime,
      escalateToHighPriority: report.escalateToHighPriority,
      reportAnnotations: [...report.reportAnnotations],
      batched: report.batched,
      batchedReason: report.batchedReason,
      ncmecPriority: report.ncmecPriority,
      reporterName: report.reporter?.companyName ?? null,
      personsReportedCount: report.personsReported.length,
      victimCount: report.victims.length,
      intendedRecipientCount: report.intendedRecipients.length,
      estimatedCountryCodes: sorted(
        report.personsReported.flatMap((person) => {
          const code = person.estimatedLocation?.countryCode?.trim().toUpperCase();
          return code ? [code] : [];
        }),
      ),
    },
    items: items.map((each) => itemSummary(each, novelty.get(each.item.itemId) ?? 'unknown')),
    enrichment: enrichmentSummary([
      ...evidence.reportEnrichment,
      ...items.flatMap((each) => each.enrichment),
    ]),
    score: scored.score,
    tier: scored.tier,
    reasons: scored.reasons.map((reason) => ({ ...reason })),
    ruleVersion: scored.ruleVersion,
    linkedReports: distinctLinks(evidence.links, report.reportId),
    provisional: options.provisional,
    itemsExpected: report.itemCount,
    itemsSeen: items.length,
    updatedAt: options.updatedAt,
  };
}

/** One entry per item id (a redelivered item counts once), in item order. */
function distinctItems(items: readonly EnrichedItem[]): EnrichedItem[] {
  const byId = new Map<string, EnrichedItem>();
  for (const each of items) byId.set(each.item.itemId, each);
  return [...byId.values()].sort((a, b) => a.item.itemIndex - b.item.itemIndex);
}

function itemSummary(each: EnrichedItem, novelty: CaseItemSummary['novelty']): CaseItemSummary {
  const { item } = each;
  return {
    itemId: item.itemId,
    kind: item.kind,
    sha256: item.sha256,
    url: item.url,
    mediaType: item.mediaType,
    novelty,
    categories: [
      ...new Set(each.matches.flatMap((match) => (match.category === null ? [] : [match.category]))),
    ].sort((a, b) => a - b),
    matchedLists: sorted(each.matches.map((match) => match.listName)),
    nearestDistance: each.dedupe?.nearestDistance ?? null,
    fileViewedByEsp: item.fileViewedByEsp,
    industryClassification: item.industryClassification,
    fileAnnotations: [...item.fileAnnotations],
  };
}

function enrichmentSummary(enrichments: readonly NetworkEnrichment[]): CaseEnrichmentSummary {
  const usable = enrichments.filter((each) => each.error === null);
  const decided = usable.filter((each) => each.inJurisdiction !== null);
  return {
    countryCodes: sorted(
      usable.flatMap((each) => (each.countryCode ? [each.countryCode.toUpperCase()] : [])),
    ),
    inJurisdiction:
      decided.length === 0
        ? null
        : decided.some((each) => each.inJurisdiction === true && each.possibleProxy !== true),
    possibleProxy: usable.some((each) => each.possibleProxy === true),
    asOrganizations: sorted(usable.flatMap((each) => (each.asOrganization ? [each.asOrganization] : []))),
    hosts: sorted(usable.flatMap((each) => (each.host ? [each.host] : []))),
  };
}

function distinctLinks(links: readonly LinkedReport[], self: string): LinkedReport[] {
  const seen = new Map<string, LinkedReport>();
  for (const link of links) {
    if (link.reportId !== self) seen.set(`${link.reportId}\n${link.identifierType}`, { ...link });
  }
  return [...seen.values()].sort((a, b) =>
    a.reportId === b.reportId
      ? a.identifierType < b.identifierType
        ? -1
        : 1
      : a.reportId < b.reportId
        ? -1
        : 1,
  );
}
