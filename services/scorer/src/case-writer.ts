import { hash } from 'node:crypto';
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
import type { OpenReports } from './open-reports.ts';
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
  /** Where what each case showed is kept while its report is open. */
  open: OpenReports;
}

/**
 * Scores a report's progress into a case record, and notes in the open reports what each case
 * showed (items seen, links) so the quiet check and re-links do not write the same case twice.
 */
export class CaseWriter {
  readonly #deps: CaseWriterDeps;

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
    const shown = { seen: progress.seen, links: signature(found) };
    deps.open.showed(progress.partition, report.reportId, shown, progress.complete, deps.clock());
    deps.counters[why] += 1;
    return { topic: deps.casesTopic, key: report.reportId, value: deps.codec.encode('Case', value) };
  }

  /** Whether the report's links now differ from those on its last case (unknown once it is closed: yes). */
  linksChanged(report: Report): boolean {
    const now = signature(
      this.#deps.links.linksOf(report.reportId, reportIdentifiers(report, this.#deps.identifiers)),
    );
    return this.#deps.open.shown(report.reportId)?.links !== now;
  }
}

/** A digest of a case's links (up to 200 of them): what an open report keeps of them. */
function signature(links: readonly { reportId: string; identifierType: string }[]): string {
  if (links.length === 0) return '';
  return hash('sha1', links.map((link) => `${link.reportId}\n${link.identifierType}`).join('\n'), 'base64');
}
