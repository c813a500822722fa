// Ground-truth bookkeeping (pure): what a correct pipeline should find in a generated feed.
import type { FeedCountry } from './ip-ranges.ts';
import { assessTier, type ReportFacts, type Tier, type TierReason } from './tiers.ts';
import type { FeedPlan, PlannedFile, PlannedReport } from './types.ts';

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
  readonly packages: readonly {
    path: string;
    partnerId: string;
    bundleRef: string;
    reportIds: readonly string[];
  }[];
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
  readonly repeatSuspectLinks: readonly { kind: string; value: string; reportIds: readonly string[] }[];
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

const victimRiskIncidents = new Set<string>([
  'Online Enticement of Children for Sexual Acts',
  'Child Sex Trafficking',
  'Child Sexual Molestation',
]);
const productionIndicators = new Set(['possibleSelfProduction', 'liveStreaming', 'infant', 'physicalHarm']);

const reportIdOf = (report: PlannedReport) => `${report.partnerId}:${report.partnerReportId}`;

/** The media entry of a file: unique within a bundle, since file ids repeat across reports. */
export function entryNameOf(plan: FeedPlan, report: PlannedReport, file: PlannedFile): string {
  return `media/${report.partnerReportId}/${file.fileId}.${plan.media.get(file.mediaKey)!.extension}`;
}

/** The partner report id must be numeric for XML (fileDetails/reportId is xs:long); the directory name says whose it is. */
export function xmlPackagePath(report: PlannedReport): string {
  return `reports/${report.partnerId}-${report.partnerReportId}`;
}

function packagePath(plan: FeedPlan, format: FeedFormat, index: number): { path: string; bundleRef: string } {
  const report = plan.reports[index]!;
  if (format === 'xml')
    return { path: xmlPackagePath(report), bundleRef: `${report.partnerId}-${report.partnerReportId}` };
  const bundle = plan.bundles.find((candidate) => candidate.reports.includes(index))!;
  return {
    path: `bundles/${bundle.bundleRef}${format === 'zip' ? '.zip' : ''}`,
    bundleRef: bundle.bundleRef,
  };
}

/** Every identifier of a report's reported persons, as `kind` + value. */
function suspectIdentifiers(report: PlannedReport): { kind: string; value: string }[] {
  const seen = new Set<string>();
  const out: { kind: string; value: string }[] = [];
  const add = (kind: string, value: string) => {
    const key = `${kind}\n${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, value });
  };
  for (const person of report.personsReported) {
    for (const email of person.emails) add('email', email.toLowerCase());
    add('screenName', person.screenName);
    add('espIdentifier', person.espIdentifier);
    for (const device of person.deviceIds) add('deviceId', `${device.idType}:${device.idValue}`);
    for (const event of person.ipCaptureEvents) add('ipAddress', event.ipAddress);
  }
  return out;
}

function sortedRecord(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function buildGroundTruth({ plan, format, digests, familyPdq }: GroundTruthInput): GroundTruth {
  const digestOf = (key: string) => {
    const digest = digests.get(key);
    if (digest === undefined) throw new Error(`no digest for media ${key}`);
    return digest;
  };
  const families = new Map(plan.families.map((family) => [family.id, family]));
  const pdqOf = (family: string) => {
    const pdq = familyPdq.get(family);
    if (pdq === undefined) throw new Error(`no PDQ for family ${family}`);
    return pdq;
  };
  const ipCountry = new Map(plan.ipAddresses.map((ip) => [ip.ipAddress, ip.country]));
  const knownMd5 = new Map<string, number>();
  for (const media of plan.media.values()) {
    if (media.knownMd5Category !== null) knownMd5.set(digestOf(media.key).md5, media.knownMd5Category);
  }
  const isImage = (file: PlannedFile) => plan.media.get(file.mediaKey)!.origin !== 'text';
  const knownBy = (file: PlannedFile): 'md5' | 'pdq' | null => {
    if (knownMd5.has(digestOf(file.mediaKey).md5)) return 'md5';
    const family = plan.media.get(file.mediaKey)!.family;
    return family !== null && families.get(family)!.knownPdqCategory !== null ? 'pdq' : null;
  };

  // Which reports carry each sha256, family and suspect identifier.
  const reportsBySha = new Map<string, Set<number>>();
  const reportsByFamily = new Map<string, Set<number>>();
  const reportsByIdentifier = new Map<string, { kind: string; value: string; reports: Set<number> }>();
  const addTo = <K>(map: Map<K, Set<number>>, key: K, index: number) => {
    const set = map.get(key) ?? new Set<number>();
    set.add(index);
    map.set(key, set);
  };
  plan.reports.forEach((report, index) => {
    for (const file of report.files) {
      if (!isImage(file)) continue;
      addTo(reportsBySha, digestOf(file.mediaKey).sha256, index);
      const family = plan.media.get(file.mediaKey)!.family;
      if (family !== null) addTo(reportsByFamily, family, index);
    }
    for (const identifier of suspectIdentifiers(report)) {
      const key = `${identifier.kind}\n${identifier.value}`;
      const entry = reportsByIdentifier.get(key) ?? { ...identifier, reports: new Set<number>() };
      entry.reports.add(index);
      reportsByIdentifier.set(key, entry);
    }
  });
  const elsewhere = (set: Set<number> | undefined, index: number) =>
    set !== undefined && [...set].some((other) => other !== index);

  const reports: GroundTruthReport[] = plan.reports.map((report, index) => {
    const images = report.files.filter(isImage);
    const known = images.map((file) => knownBy(file) !== null);
    const seen = images.map((file) => {
      const family = plan.media.get(file.mediaKey)!.family;
      return (
        elsewhere(reportsBySha.get(digestOf(file.mediaKey).sha256), index) ||
        (family !== null && elsewhere(reportsByFamily.get(family), index))
      );
    });
    const annotations = new Set(report.reportAnnotations);
    const ipEvents = [
      ...report.personsReported.flatMap((person) => person.ipCaptureEvents),
      ...report.files.flatMap((file) => (file.uploadIpEvent === null ? [] : [file.uploadIpEvent])),
    ];
    const facts: ReportFacts = {
      escalation: report.escalateToHighPriority !== null,
      victimRiskIncident: victimRiskIncidents.has(report.incidentType),
      sextortion: annotations.has('sextortion'),
      victimPresent: report.victims.length + report.intendedRecipients.length > 0,
      homeJurisdiction:
        report.personsReported.some((person) => person.estimatedLocation?.countryCode === plan.homeCountry) ||
        ipEvents.some((event) => !event.possibleProxy && ipCountry.get(event.ipAddress) === plan.homeCountry),
      newContent: images.some((_, at) => !known[at] && !seen[at]),
      knownContent: known.some(Boolean),
      allKnown: images.length > 0 && known.every(Boolean),
      seenContent: images.some((_, at) => !known[at] && seen[at]),
      productionIndicator: report.files.some((file) =>
        file.fileAnnotations.some((flag) => productionIndicators.has(flag)),
      ),
      repeatSuspect:
        report.personsReported.some((person) => person.priorCTReports.length > 0) ||
        suspectIdentifiers(report).some((identifier) =>
          elsewhere(reportsByIdentifier.get(`${identifier.kind}\n${identifier.value}`)?.reports, index),
        ),
      batchedViral: report.batched,
      // The XSD has no <informational/>, so the XML feed cannot say it.
      informational: format !== 'xml' && annotations.has('informational'),
    };
    const { tier, reasons } = assessTier(facts);
    if (tier !== report.intendedTier) {
      throw new Error(
        `feed generator bug: ${reportIdOf(report)} (${report.scenario}) should be ${report.intendedTier} but its facts give ${tier} (${reasons.join(', ')})`,
      );
    }
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

  const items: GroundTruthItem[] = [];
  const knownMatches: GroundTruth['knownMatches'][number][] = [];
  const partnerHashMismatches: GroundTruth['partnerHashMismatches'][number][] = [];
  const itemsBySha = new Map<string, string[]>();
  const familyMembers = new Map<string, { itemId: string; edit: string }[]>();
  for (const report of plan.reports) {
    for (const file of report.files) {
      const media = plan.media.get(file.mediaKey)!;
      const digest = digestOf(file.mediaKey);
      const itemId = `${reportIdOf(report)}/${file.fileId}`;
      const known = isImage(file) ? knownBy(file) : null;
      items.push({
        itemId,
        entryName: entryNameOf(plan, report, file),
        sha256: digest.sha256,
        md5: digest.md5,
        mediaType: digest.mediaType,
        size: digest.size,
        origin: media.origin,
        family: media.family,
        edit: media.edit,
        known,
      });
      itemsBySha.set(digest.sha256, [...(itemsBySha.get(digest.sha256) ?? []), itemId]);
      if (media.family !== null) {
        familyMembers.set(media.family, [
          ...(familyMembers.get(media.family) ?? []),
          { itemId, edit: media.edit! },
        ]);
      }
      if (known === 'md5') {
        knownMatches.push({
          itemId,
          match: 'md5',
          listHash: digest.md5,
          category: knownMd5.get(digest.md5)!,
          family: null,
        });
      } else if (known === 'pdq') {
        const family = families.get(media.family!)!;
        const pdq = pdqOf(family.id);
        knownMatches.push({
          itemId,
          match: 'pdq',
          listHash: pdq,
          category: family.knownPdqCategory!,
          family: family.id,
        });
      }
      if (file.md5Mismatch) partnerHashMismatches.push({ itemId, hashType: 'MD5' });
    }
  }

  const exactDuplicateGroups = [...itemsBySha]
    .filter(([, itemIds]) => itemIds.length > 1)
    .map(([sha256, itemIds]) => ({ sha256, itemIds }))
    .sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
  const nearDuplicateGroups = plan.families
    .filter((family) => new Set((familyMembers.get(family.id) ?? []).map((member) => member.edit)).size > 1)
    .map((family) => ({
      family: family.id,
      originalSha256: digestOf(family.originalKey).sha256,
      originalPdq: pdqOf(family.id),
      knownPdq: family.knownPdqCategory === null ? null : pdqOf(family.id),
      members: familyMembers.get(family.id)!,
    }));
  const idOf = (index: number) => reportIdOf(plan.reports[index]!);
  const repeatSuspectLinks: { kind: string; value: string; reportIds: string[] }[] = [
    ...reportsByIdentifier.values(),
  ]
    .filter((entry) => entry.reports.size > 1)
    .map((entry) => ({ kind: entry.kind, value: entry.value, reportIds: [...entry.reports].map(idOf) }));
  // priorCTReports that name a report of this feed link the two.
  const byPartnerReportId = new Map(
    plan.reports.flatMap((report, index) =>
      report.partnerId === plan.partners[0]!.partnerId ? [[report.partnerReportId, index]] : [],
    ),
  );
  const priorLinks = new Map<string, Set<number>>();
  plan.reports.forEach((report, index) => {
    for (const person of report.personsReported) {
      for (const prior of person.priorCTReports) {
        const target = byPartnerReportId.get(prior);
        if (target === undefined) continue;
        addTo(priorLinks, prior, target);
        addTo(priorLinks, prior, index);
      }
    }
  });
  for (const [prior, indexes] of priorLinks) {
    repeatSuspectLinks.push({
      kind: 'priorCTReport',
      value: prior,
      reportIds: [...indexes].sort((a, b) => a - b).map(idOf),
    });
  }

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

  const count = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return sortedRecord(counts);
  };
  return {
    generator: 'triage feed generate',
    seed: plan.seed,
    format,
    homeCountry: plan.homeCountry,
    asOf: plan.asOf,
    partners: plan.partners,
    packages: [...packages.values()],
    reports,
    items,
    exactDuplicateGroups,
    nearDuplicateGroups,
    knownMatches,
    repeatSuspectLinks,
    partnerHashMismatches,
    ipAddresses: plan.ipAddresses,
    counts: {
      packages: packages.size,
      reports: reports.length,
      files: items.length,
      distinctMedia: itemsBySha.size,
      urls: reports.reduce((sum, report) => sum + report.urlCount, 0),
      exactDuplicateGroups: exactDuplicateGroups.length,
      nearDuplicateGroups: nearDuplicateGroups.length,
      knownMatches: knownMatches.length,
      repeatSuspectLinks: repeatSuspectLinks.length,
      partnerHashMismatches: partnerHashMismatches.length,
      byTier: count(reports.map((report) => report.tier)),
      byScenario: count(reports.map((report) => report.scenario)),
      byPartner: count(reports.map((report) => report.partnerId)),
    },
  };
}

/**
 * The demo known-hash list in the CSV that `triage hashes import` reads: the MD5 of the known-pool
 * and meme images the feed uses, and the PDQ of the originals of its known families.
 */
/** The label of every demo entry, in place of the category's usual name: these images are synthetic. */
const DEMO_LABEL = 'synthetic demo';

export function knownHashesCsv(
  plan: FeedPlan,
  digests: ReadonlyMap<string, MediaDigest>,
  familyPdq: ReadonlyMap<string, string>,
): string {
  const rows: string[] = [];
  for (const media of plan.media.values()) {
    if (media.knownMd5Category !== null)
      rows.push(`${digests.get(media.key)!.md5},MD5,${media.knownMd5Category},${DEMO_LABEL}`);
  }
  for (const family of plan.families) {
    if (family.knownPdqCategory !== null)
      rows.push(`${familyPdq.get(family.id)!},PDQ,${family.knownPdqCategory},${DEMO_LABEL}`);
  }
  return [
    `# Demo known-hash list of the synthetic feed (seed ${plan.seed}): generated images, nothing real.`,
    'hash,type,category,label',
    ...rows,
    '',
  ].join('\n');
}
