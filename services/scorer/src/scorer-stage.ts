import { TriageError, toTriageError } from '@triage/errors';
import type { KnownHashIndex } from '@triage/hash-lists';
import type { Logger } from '@triage/logging';
import type {
  FailedRecord,
  FlushResult,
  HandlerContext,
  InboundRecord,
  OutboundRecord,
} from '@triage/messaging';
import type { Codec, SuspectIdentifier } from '@triage/schemas';
import {
  type IdentifierKey,
  type IdentifierKeying,
  type IdentifierRowSource,
  identifierRows,
  type ScoringRules,
  SuspectLinkIndex,
} from '@triage/scoring';
import { type CaseCounters, CaseWriter, type ReportEnricher } from './case-writer.ts';
import { DueCases } from './due-cases.ts';
import { rematchCases } from './list-rematch.ts';
import { OpenReports, type SavedOpenReport } from './open-reports.ts';
import { quietCases } from './quiet-reports.ts';
import { relinkCases } from './relink-cases.ts';
import { type CaseTrigger, ReportAggregator } from './report-aggregator.ts';
import type { ReportState } from './report-state.ts';

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
  /**
   * A report stays on the heap (open) while it owes a case and until it has not changed for this
   * long (at least `quietMs`; default `quietMs`); then it is on disk only until something touches it.
   */
  openWindowMs?: number;
  /**
   * The open reports saved at the last clean stop, for a partition resumed from its checkpoint
   * (null: not saved, or the stores read more than their checkpoint, so the partition is swept).
   */
  openBook?: OpenReportsBook;
  /** The home country's phone region and the key(s) identifiers are keyed with. */
  identifiers: IdentifierKeying;
  /** The identifier table's rows when it keeps them (on disk): links are read from them, not held here. */
  identifierRows?: IdentifierRowSource;
  /** Stamps `updatedAt` and measures quiet time. */
  clock: () => number;
  /**
   * Whether a record belongs to an erased report (the erasure ledger, ADR 0020): such a record is
   * dropped before it touches the state, so a replay or a late record cannot bring the report back.
   */
  erased?: (record: InboundRecord) => boolean;
}

/** Where a partition's open reports are saved at a clean stop and found again at the restart. */
export interface OpenReportsBook {
  /** The partition's saved open reports, or null when they cannot be trusted (never twice). */
  load(partition: number): SavedOpenReport[] | null;
  save(partition: number, reports: readonly SavedOpenReport[]): void;
}

export interface ScorerCounters {
  /** Cases written, by what made them due. */
  cases: CaseCounters;
  /** Cases that could not be built (their triggering record went to the dead letters). */
  failed: number;
}

/** What the service wires into the runner, the identifier table and the quiet timer. */
export interface ScorerStage {
  /** The runner's record handler: state changes, and the identifier rows of a report. */
  handle(record: InboundRecord, context: HandlerContext): Promise<OutboundRecord[]>;
  /** The runner's batch flush: one case per report made due in the batch; failed ones for the dead letters. */
  flush(): FlushResult & { outputs: OutboundRecord[]; failed: FailedRecord[] };
  /** A table change (and the row it replaced); returns the identifier whose reports changed, to re-link (see `relink`). */
  onIdentifierRow(
    key: string,
    value: SuspectIdentifier | null,
    previous?: SuspectIdentifier,
  ): IdentifierKey | null;
  /** Cases of local reports whose links changed with these identifiers (run exclusively). */
  relink(identifiers: Iterable<IdentifierKey>): OutboundRecord[];
  /** Provisional cases of incomplete reports quiet for `quietMs` (run exclusively). */
  quietCases(): OutboundRecord[];
  /** Cases whose items' matches of `lists` (held in `index`) changed: re-scored (run exclusively). */
  rematch(index: KnownHashIndex, lists: ReadonlySet<string>): OutboundRecord[];
  /** Saves the open reports of the partitions held (a clean stop, after the last batch). */
  saveOpen(): void;
  /**
   * Forgets an erased report held here: its items, the report and its open entry (run
   * exclusively: the stores' deletions go to their changelogs as tombstones). Returns how many
   * records it deleted (0: not held here).
   */
  erase(reportId: string): number;
  /** The reports kept on the heap: incomplete or recently changed. */
  readonly open: OpenReports;
  readonly counters: ScorerCounters;
}

/**
 * reports.v1 + items.enriched.v1 -> cases.v1 (+ the repeat-suspect table). Decisions live in the
 * aggregator (state), the link index (table), the due and quiet rules and @triage/scoring (score,
 * case); this is the glue.
 */
export function createScorerStage(deps: ScorerStageDeps): ScorerStage {
  const { codec, state, topics } = deps;
  const aggregator = new ReportAggregator(state, deps.provisionalEvery);
  const links = new SuspectLinkIndex({ keyId: deps.identifiers.key.id, rows: deps.identifierRows });
  const counters: ScorerCounters = {
    cases: { report: 0, progress: 0, complete: 0, quiet: 0, link: 0, listMatch: 0 },
    failed: 0,
  };
  const open = new OpenReports();
  const openWindowMs = Math.max(deps.openWindowMs ?? deps.quietMs, deps.quietMs);
  const writer = new CaseWriter({
    ...deps,
    links,
    casesTopic: topics.cases,
    counters: counters.cases,
    open,
  });
  const due = new DueCases();

  /**
   * The first time a restored partition is used: its open reports back on the heap, from the
   * clean stop's save, or else by one pass over its reports (after a rebuild from the changelog,
   * which read them all anyway). Their quiet time starts again now.
   */
  function indexOpen(partition: number): void {
    if (open.isIndexed(partition)) return;
    const now = deps.clock();
    const saved = deps.openBook?.load(partition) ?? null;
    if (saved) for (const report of saved) open.reopen(partition, report, now);
    else {
      for (const report of state.reports(partition)) {
        if (state.itemCount(partition, report.reportId) < report.itemCount)
          open.reopen(partition, { reportId: report.reportId, final: false }, now);
      }
    }
    open.indexed(partition);
  }

  function changed(
    reportId: string,
    partition: number,
    trigger: CaseTrigger | null,
    record: InboundRecord,
  ): void {
    open.touch(partition, reportId, deps.clock());
    if (trigger) due.mark(reportId, { partition, trigger, record });
  }

  async function handle(record: InboundRecord): Promise<OutboundRecord[]> {
    if (deps.erased?.(record)) return [];
    const bytes = record.value ?? Buffer.alloc(0);
    indexOpen(record.partition);
    if (record.topic === topics.reports) {
      const report = codec.decode('Report', bytes);
      const outcome = aggregator.applyReport(record.partition, report);
      if (!outcome.accepted) return [];
      changed(report.reportId, record.partition, outcome.trigger, record);
      return identifierRows(report, outcome.previous, deps.identifiers).map((row) => ({
        topic: topics.suspectIdentifiers,
        key: row.key,
        value: row.value === null ? null : codec.encode('SuspectIdentifier', row.value),
      }));
    }
    if (record.topic === topics.itemsEnriched) {
      const enriched = codec.decode('EnrichedItem', bytes);
      const outcome = aggregator.applyItem(record.partition, enriched);
      if (outcome.accepted) changed(enriched.item.reportId, record.partition, outcome.trigger, record);
      return [];
    }
    throw new TriageError('TRIAGE_INTERNAL', `scorer: record from an unexpected topic ${record.topic}`);
  }

  function flush() {
    const outputs: OutboundRecord[] = [];
    const failed: FailedRecord[] = [];
    const held = new Set(state.partitions());
    for (const [reportId, entry] of due.take()) {
      // A rebalance took the partition away mid-batch: its new owner writes the case.
      if (!held.has(entry.partition)) continue;
      try {
        const progress = aggregator.progress(entry.partition, reportId);
        if (progress) outputs.push(writer.write(progress, progress.complete ? 'complete' : entry.trigger));
      } catch (error) {
        // Scoring is pure over validated records, so this is a defect: the runner parks the
        // record that made the case due, with the code, rather than stall the partition.
        counters.failed += 1;
        deps.logger.error(
          {
            code: toTriageError(error).code,
            reportId,
            topic: entry.record.topic,
            partition: entry.partition,
          },
          'case not built',
        );
        failed.push({ record: entry.record, error });
      }
    }
    return { outputs, failed };
  }

  return {
    handle,
    flush,
    onIdentifierRow: (key, value, previous) => links.apply(key, value, previous),
    relink: (identifiers) => relinkCases({ links, state, aggregator, writer }, identifiers),
    quietCases() {
      open.retain(state.assigned());
      for (const partition of state.partitions()) indexOpen(partition);
      return quietCases(
        { state, aggregator, writer, open, quietMs: deps.quietMs, openWindowMs },
        deps.clock(),
      );
    },
    rematch: (index, lists) => rematchCases({ state, aggregator, writer, index, lists }),
    saveOpen() {
      if (!deps.openBook) return;
      for (const partition of state.partitions()) {
        if (open.isIndexed(partition)) deps.openBook.save(partition, open.saved(partition));
      }
    },
    erase(reportId) {
      let deleted = 0;
      for (const partition of state.partitions()) {
        for (const itemId of state.itemIds(partition, reportId)) {
          state.deleteItem(partition, itemId);
          deleted += 1;
        }
        if (state.report(partition, reportId) !== undefined) {
          state.deleteReport(partition, reportId);
          deleted += 1;
        }
      }
      open.close(reportId);
      return deleted;
    },
    open,
    counters,
  };
}
