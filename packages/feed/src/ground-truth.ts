// Ground-truth bookkeeping (pure): what a correct pipeline should find in a generated feed. The
// parts are in truth/: content (digests, known, seen), suspect links, report facts and their
// tier, items and duplicate groups, package paths.
import type { FeedCountry } from './ip-ranges.ts';
import type { ReportFacts, Tier, TierReason } from './tiers.ts';
import { indexContent } from './truth/content-index.ts';
import { bookItems, exactDuplicateGroups, type ItemBook, nearDuplicateGroups } from './truth/items.ts';
import { packagePath, packagesOf, type TruthPackage } from './truth/package-paths.ts';
import { assessReport, type FactsContext, reportFacts } from './truth/report-facts.ts';
import { reportIdOf } from './truth/report-ids.ts';
import { indexSuspects, type RepeatSuspectLink } from './truth/suspect-links.ts';
import type { FeedPlan } from './types.ts';

export type FeedFormat = 'json' | 'xml' | 'zip';

/** What the generator learnt from one distinct media file's bytes. */
export interface MediaDigest {
  readonly sha256: string;
  readonly md5: string;
  readonly sha1: string;
  readonly size: number;
  readonly mediaType: string;
}

interface GroundTruthReport {
  /** `partnerId:partnerReportId`, the pipeline's report id. */
  readonly reportId: string;
  readonly partnerId: string;
  readonly partnerReportId: string;
  /** Where the report is, relative to the output directory. */
  readonly package: string;
  readonly scenario: string;
  readonly tier: Tier;
  readonly reasons: readonly TierReason[];
  readonly facts: ReportFacts;
  readonly fileCount: number;
  readonly urlCount: number;
}

interface GroundTruthItem {
  /** `reportId/fileId`. */
  readonly itemId: string;
  readonly entryName: string;
  readonly sha256: string;
  readonly md5: string;
  readonly mediaType: string;
  readonly size: number;
  readonly origin: string;
  readonly family: string | null;
  readonly edit: string | null;
  readonly known: 'md5' | 'pdq' | null;
}

export interface GroundTruth {
  readonly generator: string;
  readonly seed: number;
  readonly format: FeedFormat;
  readonly homeCountry: FeedCountry;
  readonly asOf: string;
  readonly partners: FeedPlan['partners'];
  readonly packages: readonly TruthPackage[];
  readonly reports: readonly GroundTruthReport[];
  readonly items: readonly GroundTruthItem[];
  readonly exactDuplicateGroups: readonly { sha256: string; itemIds: readonly string[] }[];
  readonly nearDuplicateGroups: readonly {
    family: string;
    originalSha256: string;
    /** PDQ of the family's original: every member is within distance 31 of it (after dihedral matching). */
    originalPdq: string;
    /** The same PDQ when it is on the demo known-hash list. */
    knownPdq: string | null;
    members: readonly { itemId: string; edit: string }[];
  }[];
  readonly knownMatches: readonly {
    itemId: string;
    match: 'md5' | 'pdq';
    listHash: string;
    category: number;
    family: string | null;
  }[];
  readonly repeatSuspectLinks: readonly RepeatSuspectLink[];
  readonly partnerHashMismatches: readonly { itemId: string; hashType: 'MD5' }[];
  readonly ipAddresses: FeedPlan['ipAddresses'];
  readonly counts: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
}

export interface GroundTruthInput {
  readonly plan: FeedPlan;
  readonly format: FeedFormat;
  readonly digests: ReadonlyMap<string, MediaDigest>;
  /** PDQ of each family's original. */
  readonly familyPdq: ReadonlyMap<string, string>;
}

function sortedCounts(values: string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function countsOf(truth: Omit<GroundTruth, 'counts' | 'items'>, book: ItemBook): GroundTruth['counts'] {
  const { reports } = truth;
  return {
    packages: truth.packages.length,
    reports: reports.length,
    files: book.items.length,
    distinctMedia: book.itemsBySha.size,
    urls: reports.reduce((sum, report) => sum + report.urlCount, 0),
    exactDuplicateGroups: truth.exactDuplicateGroups.length,
    nearDuplicateGroups: truth.nearDuplicateGroups.length,
    knownMatches: truth.knownMatches.length,
    repeatSuspectLinks: truth.repeatSuspectLinks.length,
    partnerHashMismatches: truth.partnerHashMismatches.length,
    byTier: sortedCounts(reports.map((report) => report.tier)),
    byScenario: sortedCounts(reports.map((report) => report.scenario)),
    byPartner: sortedCounts(reports.map((report) => report.partnerId)),
  };
}

/** Each report with its facts and the tier they give (checked against the scenario's). */
function assessReports(context: FactsContext): GroundTruthReport[] {
  const { plan, format } = context;
  return plan.reports.map((report, index) => {
    const facts = reportFacts(context, report, index);
    const { tier, reasons } = assessReport(facts, report);
    return {
      reportId: reportIdOf(report),
      partnerId: report.partnerId,
      partnerReportId: report.partnerReportId,
      package: packagePath(plan, format, index).path,
      scenario: report.scenario,
      tier,
      reasons,
      facts,
      fileCount: report.files.length,
      urlCount: report.webPageUrls.length,
    };
  });
}

export function buildGroundTruth(input: GroundTruthInput): GroundTruth {
  const { plan, format } = input;
  const content = indexContent(input);
  const suspects = indexSuspects(plan);
  const ipCountry = new Map(plan.ipAddresses.map((ip) => [ip.ipAddress, ip.country]));
  const reports = assessReports({ plan, format, content, suspects, ipCountry });
  const book = bookItems(plan, content);
  const truth = {
    generator: 'triage feed generate',
    seed: plan.seed,
    format,
    homeCountry: plan.homeCountry,
    asOf: plan.asOf,
    partners: plan.partners,
    packages: packagesOf(plan, format),
    reports,
    exactDuplicateGroups: exactDuplicateGroups(book),
    nearDuplicateGroups: nearDuplicateGroups(plan, content, book),
    knownMatches: book.knownMatches,
    repeatSuspectLinks: suspects.links(),
    partnerHashMismatches: book.partnerHashMismatches,
    ipAddresses: plan.ipAddresses,
  };
  return { ...truth, items: book.items, counts: countsOf(truth, book) };
}
