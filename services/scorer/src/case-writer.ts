import type { OutboundRecord } from '@triage/messaging';
import type { Codec, NetworkEnrichment, Report } from '@triage/schemas';
import {
  buildCase,
  type IdentifierKeying,
  type ReportEvidence,
  reportIdentifiers,
  type ScoringRules,
  type SuspectLinkIndex,
  scoreReport,
} from '@triage/scoring';
import type { Shown } from './quiet-reports.ts';
import type { ReportProgress } from './report-aggregator.ts';

/** What the scorer needs of the network enricher (NetworkEnricher in production). */
export interface ReportEnricher {
  enrichReport(report: Report, time?: { lookedUpAt?: number }): NetworkEnrichment[];
}

/** Cases written, by what made them due. */
export interface CaseCounters {
  report: number;
  progress: number;
  complete: number;
  quiet: number;
  link: number;
  /** Re-scored because a re-matched list (analysts' confirmed hashes) changed its items' matches. */
  listMatch: number;
}

export interface CaseWriterDeps {
  codec: Codec;
  rules: ScoringRules;
  enricher: ReportEnricher;
  links: SuspectLinkIndex;
  /** The home country's phone region and the key identifiers are linked under. */
  identifiers: IdentifierKeying;
  /** Stamps `updatedAt`. */
  clock: () => number;
  /** Deployed name of cases.v1. */
  casesTopic: string;
  counters: CaseCounters;
  /** Called when a report's final case is written (the quiet timer forgets it). */
  completed(reportId: string): void;
}

/**
 * Scores a report's progress into a case record, and remembers what each case showed (items
 * seen, links) so the quiet check and re-links do not write the same case twice.
 */
export class CaseWriter {
  readonly #deps: CaseWriterDeps;
  readonly #shown = new Map<string, Shown>();

  constructor(deps: CaseWriterDeps) {
    this.#deps = deps;
  }

  write(progress: ReportProgress, why: keyof CaseCounters): OutboundRecord {
    const deps = this.#deps;
    const { report } = progress;
    const found = deps.links.linksOf(report.reportId, reportIdentifiers(report, deps.identifiers));
    // Scores are measured as of the report's receipt, so a replay scores the same however late it runs.
    const evidence: ReportEvidence = {
      report,
      items: progress.items,
      reportEnrichment: deps.enricher.enrichReport(report, { lookedUpAt: report.receivedAt }),
      links: found,
      now: report.receivedAt,
    };
    const value = buildCase(evidence, scoreReport(evidence, deps.rules), {
      provisional: !progress.complete,
      updatedAt: deps.clock(),
    });
    const links = signature(found);
    if (progress.complete) deps.completed(report.reportId);
    // Kept for complete reports only while they have links, so memory follows linked reports.
    if (progress.complete && links === '') this.#shown.delete(report.reportId);
    else this.#shown.set(report.reportId, { seen: progress.seen, links });
    deps.counters[why] += 1;
    return { topic: deps.casesTopic, key: report.reportId, value: deps.codec.encode('Case', value) };
  }

  /** What the last case written of a report showed, if it is remembered. */
  shown(reportId: string): Shown | undefined {
    return this.#shown.get(reportId);
  }

  /** Whether the report's links now differ from those on its last case. */
  linksChanged(report: Report): boolean {
    const now = signature(
      this.#deps.links.linksOf(report.reportId, reportIdentifiers(report, this.#deps.identifiers)),
    );
    return this.#shown.get(report.reportId)?.links !== now;
  }
}

function signature(links: readonly { reportId: string; identifierType: string }[]): string {
  return links.map((link) => `${link.reportId}\n${link.identifierType}`).join('\n');
}
