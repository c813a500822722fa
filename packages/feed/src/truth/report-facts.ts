// A report's facts as written (the inputs of the tier rules) and its assessment: the tier the
// facts give, which must be the tier its scenario intended.
import type { FeedFormat } from '../ground-truth.ts';
import { assessTier, type ReportFacts, type TierAssessment } from '../tiers.ts';
import type { FeedPlan, PlannedReport } from '../types.ts';
import { contactOffenceIncidents, productionAnnotations, victimRiskIncidents } from '../vocabulary.ts';
import type { ContentIndex } from './content-index.ts';
import { reportIdOf } from './report-ids.ts';
import type { SuspectIndex } from './suspect-links.ts';

const victimRisk = new Set<string>(victimRiskIncidents);
const contactOffence = new Set<string>(contactOffenceIncidents);
const productionIndicators = new Set<string>(productionAnnotations);

export interface FactsContext {
  readonly plan: FeedPlan;
  readonly format: FeedFormat;
  readonly content: ContentIndex;
  readonly suspects: SuspectIndex;
  /** The country of every IP address of the plan (the hosting range it was drawn from). */
  readonly ipCountry: ReadonlyMap<string, string>;
}

/** Each image's novelty: known (on the list), seen (in another report, not known), or new. */
function contentFacts(context: FactsContext, report: PlannedReport, index: number) {
  const { content } = context;
  const images = report.files.filter(content.isImage);
  const known = images.map((file) => content.knownBy(file) !== null);
  const seen = images.map((file) => content.inOtherReport(file, index));
  return {
    newContent: images.some((_, at) => !known[at] && !seen[at]),
    knownContent: known.some(Boolean),
    allKnown: images.length > 0 && known.every(Boolean),
    seenContent: images.some((_, at) => !known[at] && seen[at]),
  };
}

/** A reported person located, or seen at a non-proxy address, in the home country. */
function homeJurisdiction({ plan, ipCountry }: FactsContext, report: PlannedReport): boolean {
  const ipEvents = [
    ...report.personsReported.flatMap((person) => person.ipCaptureEvents),
    ...report.files.flatMap((file) => (file.uploadIpEvent === null ? [] : [file.uploadIpEvent])),
  ];
  return (
    report.personsReported.some((person) => person.estimatedLocation?.countryCode === plan.homeCountry) ||
    ipEvents.some((event) => !event.possibleProxy && ipCountry.get(event.ipAddress) === plan.homeCountry)
  );
}

export function reportFacts(context: FactsContext, report: PlannedReport, index: number): ReportFacts {
  const annotations = new Set(report.reportAnnotations);
  const { newContent, knownContent, allKnown, seenContent } = contentFacts(context, report, index);
  return {
    escalation: report.escalateToHighPriority !== null,
    victimRiskIncident: victimRisk.has(report.incidentType),
    contactOffence: contactOffence.has(report.incidentType),
    // The XSD has no NCMEC priority, so the XML feed cannot say it.
    ncmecPriority1: context.format !== 'xml' && report.ncmecPriority === 1,
    sextortion: annotations.has('sextortion'),
    victimPresent: report.victims.length + report.intendedRecipients.length > 0,
    victimRecorded: report.victims.length > 0,
    homeJurisdiction: homeJurisdiction(context, report),
    newContent,
    knownContent,
    allKnown,
    seenContent,
    productionIndicator: report.files.some((file) =>
      file.fileAnnotations.some((flag) => productionIndicators.has(flag)),
    ),
    repeatSuspect: context.suspects.isRepeatSuspect(report, index),
    batchedViral: report.batched,
    // The XSD has no <informational/>, so the XML feed cannot say it.
    informational: context.format !== 'xml' && annotations.has('informational'),
  };
}

/** The tier and reasons the facts give; throws when that is not the tier the scenario intended. */
export function assessReport(facts: ReportFacts, report: PlannedReport): TierAssessment {
  const assessment = assessTier(facts);
  if (assessment.tier !== report.intendedTier) {
    throw new Error(
      `feed generator bug: ${reportIdOf(report)} (${report.scenario}) should be ${report.intendedTier} but its facts give ${assessment.tier} (${assessment.reasons.join(', ')})`,
    );
  }
  return assessment;
}
