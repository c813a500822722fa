// Repeat suspects: the identifiers a report gives for its reported persons, which other reports
// share them, and the links between reports (shared identifiers, priorCTReports naming a report
// of the feed).
import type { FeedPlan, PlannedReport } from '../types.ts';
import { addReport, elsewhere, reportIdOf } from './report-ids.ts';

export interface RepeatSuspectLink {
  readonly kind: string;
  readonly value: string;
  readonly reportIds: readonly string[];
}

interface Identifier {
  readonly kind: string;
  readonly value: string;
}

const keyOf = (identifier: Identifier) => `${identifier.kind}\n${identifier.value}`;

/** Every identifier of a report's reported persons, as `kind` + value, each once. */
function suspectIdentifiers(report: PlannedReport): Identifier[] {
  const seen = new Set<string>();
  const out: Identifier[] = [];
  const add = (kind: string, value: string) => {
    const key = keyOf({ kind, value });
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

export interface SuspectIndex {
  /** The report gives priorCTReports, or shares an identifier with another report. */
  isRepeatSuspect(report: PlannedReport, index: number): boolean;
  /** Shared identifiers (in order of first sight), then priorCTReports that name a report of the feed. */
  links(): RepeatSuspectLink[];
}

export function indexSuspects(plan: FeedPlan): SuspectIndex {
  const reportsByIdentifier = new Map<string, Identifier & { reports: Set<number> }>();
  plan.reports.forEach((report, index) => {
    for (const identifier of suspectIdentifiers(report)) {
      const entry = reportsByIdentifier.get(keyOf(identifier)) ?? {
        ...identifier,
        reports: new Set<number>(),
      };
      entry.reports.add(index);
      reportsByIdentifier.set(keyOf(identifier), entry);
    }
  });
  const idOf = (index: number) => reportIdOf(plan.reports[index]!);
  return {
    isRepeatSuspect: (report, index) =>
      report.personsReported.some((person) => person.priorCTReports.length > 0) ||
      suspectIdentifiers(report).some((identifier) =>
        elsewhere(reportsByIdentifier.get(keyOf(identifier))?.reports, index),
      ),
    links: () => [
      ...[...reportsByIdentifier.values()]
        .filter((entry) => entry.reports.size > 1)
        .map((entry) => ({ kind: entry.kind, value: entry.value, reportIds: [...entry.reports].map(idOf) })),
      ...priorReportLinks(plan),
    ],
  };
}

/** priorCTReports that name a tipline report of this feed link the two. */
function priorReportLinks(plan: FeedPlan): RepeatSuspectLink[] {
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
        addReport(priorLinks, prior, target);
        addReport(priorLinks, prior, index);
      }
    }
  });
  return [...priorLinks].map(([prior, indexes]) => ({
    kind: 'priorCTReport',
    value: prior,
    reportIds: [...indexes].sort((a, b) => a - b).map((index) => reportIdOf(plan.reports[index]!)),
  }));
}
