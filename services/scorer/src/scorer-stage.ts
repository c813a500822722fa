import { TriageError, toTriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import {
  deadLetterFor,
  deadLetterTopicName,
  type InboundRecord,
  type OutboundRecord,
  type RecordHandler,
} from '@triage/messaging';
import type { Case, Codec, NetworkEnrichment, Report, SuspectIdentifier } from '@triage/schemas';
import {
  buildCase,
  type IdentifierKey,
  identifierRows,
  type ReportEvidence,
  reportIdentifiers,
  type ScoringRules,
  SuspectLinkIndex,
  scoreReport,
} from '@triage/scoring';
import { type CaseTrigger, ReportAggregator, type ReportProgress } from './report-aggregator.ts';
import type { ReportState } from './report-state.ts';

/** What the scorer needs of the network enricher (NetworkEnricher in production). */
export interface ReportEnricher {
  enrichReport(report: Report, time?: { lookedUpAt?: number }): NetworkEnrichment[];
}

export interface ScorerStageDeps {
  codec: Codec;
  state: ReportState;
  rules: ScoringRules;
  enricher: ReportEnricher;
  logger: Logger;
  /** Deployed topic names. */
  topics: { reports: string; itemsEnriched: string; cases: string; suspectIdentifiers: string };
  /** A provisional case at most every this many new distinct items of a report (and at most once per batch). */
  provisionalEvery: number;
  /** An incomplete report quiet this long gets a provisional case of what it has. */
  quietMs: number;
  /** Region of phone numbers without a country code (the home country). */
  phoneRegion: string;
  /** Stamps `updatedAt` and measures quiet time. */
  clock: () => number;
}

export interface ScorerCounters {
  /** Cases written, by what made them due. */
  cases: { report: number; progress: number; complete: number; quiet: number; link: number };
  /** Cases that could not be built (their triggering record went to the dead letters). */
  failed: number;
}

/** What the service wires into the runner, the identifier table and the quiet timer. */
export interface ScorerStage {
  handle: RecordHandler;
  /** The runner's batch flush: one case per report made due in the batch. */
  flush(): OutboundRecord[];
  /** A table change; returns the identifier whose reports changed, to re-link (see `relink`). */
  onIdentifierRow(key: string, value: SuspectIdentifier | null): IdentifierKey | null;
  /** Cases of local reports whose links changed with these identifiers (run exclusively). */
  relink(identifiers: Iterable<IdentifierKey>): OutboundRecord[];
  /** Provisional cases of incomplete reports quiet for `quietMs` (run exclusively). */
  quietCases(): OutboundRecord[];
  readonly counters: ScorerCounters;
}

interface Due {
  partition: number;
  trigger: CaseTrigger;
  /** The record that made it due: dead-lettered if the case cannot be built. */
  record: InboundRecord;
}

/**
 * reports.v1 + items.enriched.v1 -> cases.v1 (+ the repeat-suspect table). Decisions live in the
 * aggregator (state), the link index (table) and @triage/scoring (score, case); this is the glue.
 */
export function createScorerStage(deps: ScorerStageDeps): ScorerStage {
  const { codec, state, topics } = deps;
  const aggregator = new ReportAggregator(state, deps.provisionalEvery);
  const links = new SuspectLinkIndex();
  const due = new Map<string, Due>();
  /** Incomplete reports: when they last changed, for the quiet timer. */
  const lastChange = new Map<string, number>();
  /** What the last case written of a report showed: items seen and links, to skip repeats. */
  const lastEmitted = new Map<string, { seen: number; links: string }>();
  const counters: ScorerCounters = {
    cases: { report: 0, progress: 0, complete: 0, quiet: 0, link: 0 },
    failed: 0,
  };

  function caseOf(progress: ReportProgress): { value: Case; links: string } {
    const { report } = progress;
    const found = links.linksOf(report.reportId, reportIdentifiers(report, deps.phoneRegion));
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
    return { value, links: found.map((link) => `${link.reportId}\n${link.identifierType}`).join('\n') };
  }

  function emit(progress: ReportProgress, why: keyof ScorerCounters['cases']): OutboundRecord {
    const { value, links: signature } = caseOf(progress);
    const reportId = progress.report.reportId;
    if (progress.complete) {
      lastChange.delete(reportId);
      // Kept for complete reports only while they have links, so memory follows linked reports.
      if (signature === '') lastEmitted.delete(reportId);
      else lastEmitted.set(reportId, { seen: progress.seen, links: signature });
    } else {
      lastEmitted.set(reportId, { seen: progress.seen, links: signature });
    }
    counters.cases[why] += 1;
    return { topic: topics.cases, key: reportId, value: codec.encode('Case', value) };
  }

  function markDue(reportId: string, next: Due): void {
    const previous = due.get(reportId);
    // A batch that completes a report emits the final case, whatever else it brought.
    if (previous?.trigger === 'complete' && next.trigger !== 'complete') return;
    due.set(reportId, next);
  }

  const handle: RecordHandler = async (record) => {
    const bytes = record.value ?? Buffer.alloc(0);
    if (record.topic === topics.reports) {
      const report = codec.decode('Report', bytes);
      const outcome = aggregator.applyReport(record.partition, report);
      if (!outcome.accepted) return [];
      lastChange.set(report.reportId, deps.clock());
      markDue(report.reportId, { partition: record.partition, trigger: outcome.trigger, record });
      return identifierRows(report, outcome.previous, deps.phoneRegion).map((row) => ({
        topic: topics.suspectIdentifiers,
        key: row.key,
        value: row.value === null ? null : codec.encode('SuspectIdentifier', row.value),
      }));
    }
    if (record.topic === topics.itemsEnriched) {
      const enriched = codec.decode('EnrichedItem', bytes);
      const outcome = aggregator.applyItem(record.partition, enriched);
      if (!outcome.accepted) return [];
      const reportId = enriched.item.reportId;
      lastChange.set(reportId, deps.clock());
      if (outcome.trigger)
        markDue(reportId, { partition: record.partition, trigger: outcome.trigger, record });
      return [];
    }
    throw new TriageError('TRIAGE_INTERNAL', `scorer: record from an unexpected topic ${record.topic}`);
  };

  function flush(): OutboundRecord[] {
    const outputs: OutboundRecord[] = [];
    const held = new Set(state.partitions());
    for (const [reportId, entry] of due) {
      // A rebalance took the partition away mid-batch: its new owner writes the case.
      if (!held.has(entry.partition)) continue;
      try {
        const progress = aggregator.progress(entry.partition, reportId);
        if (progress) outputs.push(emit(progress, progress.complete ? 'complete' : entry.trigger));
      } catch (error) {
        // Scoring is pure over validated records, so this is a defect: park the record that
        // made the case due, with the code, rather than stall the partition.
        counters.failed += 1;
        const failure = toTriageError(error);
        deps.logger.error(
          { code: failure.code, topic: entry.record.topic, partition: entry.partition },
          'case not built',
        );
        const letter = deadLetterFor(entry.record, failure, 'scorer', 1, deps.clock());
        outputs.push({
          topic: deadLetterTopicName(entry.record.topic),
          key: entry.record.key ?? '',
          value: codec.encode('DeadLetter', letter),
          headers: { 'triage-error-code': failure.code, 'triage-stage': 'scorer' },
        });
      }
    }
    due.clear();
    return outputs;
  }

  /** The partition holding a report here, if any. */
  function partitionOf(reportId: string): number | undefined {
    return state.partitions().find((partition) => state.report(partition, reportId) !== undefined);
  }

  function relink(identifiers: Iterable<IdentifierKey>): OutboundRecord[] {
    const candidates = new Set<string>();
    for (const identifier of identifiers) {
      for (const reportId of links.members(identifier).keys()) candidates.add(reportId);
    }
    // A report that lost its row (or whose row is not read back yet) is still re-linked through the others.
    const outputs: OutboundRecord[] = [];
    for (const reportId of [...candidates].sort()) {
      const partition = partitionOf(reportId);
      if (partition === undefined) continue;
      const progress = aggregator.progress(partition, reportId);
      if (!progress) continue;
      const signature = links
        .linksOf(reportId, reportIdentifiers(progress.report, deps.phoneRegion))
        .map((link) => `${link.reportId}\n${link.identifierType}`)
        .join('\n');
      if (lastEmitted.get(reportId)?.links === signature) continue;
      outputs.push(emit(progress, 'link'));
    }
    return outputs;
  }

  function quietCases(): OutboundRecord[] {
    const now = deps.clock();
    const outputs: OutboundRecord[] = [];
    for (const partition of state.partitions()) {
      for (const report of state.reports(partition)) {
        // Cheap test first: most held reports are complete.
        if (state.items(partition, report.reportId).size >= report.itemCount) continue;
        const progress = aggregator.progress(partition, report.reportId);
        if (!progress || progress.complete) continue;
        const since = lastChange.get(report.reportId);
        // Restored from the changelog: the quiet time starts now.
        if (since === undefined) {
          lastChange.set(report.reportId, now);
          continue;
        }
        if (now - since < deps.quietMs) continue;
        if (lastEmitted.get(report.reportId)?.seen === progress.seen) continue;
        outputs.push(emit(progress, 'quiet'));
      }
    }
    return outputs;
  }

  return {
    handle,
    flush,
    onIdentifierRow: (key, value) => links.apply(key, value),
    relink,
    quietCases,
    counters,
  };
}
