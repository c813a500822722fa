import type { OutboundRecord } from '@triage/messaging';
import type { CaseWriter } from './case-writer.ts';
import type { OpenReports, Shown } from './open-reports.ts';
import type { ReportAggregator } from './report-aggregator.ts';
import type { ReportState } from './report-state.ts';

export interface QuietCheck {
  /** When the report last changed (or came back to the heap). */
  since: number;
  now: number;
  quietMs: number;
  /** How long a report stays open after its last change (at least `quietMs`). */
  openWindowMs: number;
  /** Items the report has now, and the items its version expects. */
  seen: number;
  expected: number;
  shown: Shown | undefined;
  /** Its last case was final and nothing changed since. */
  final: boolean;
}

export type QuietDecision = 'write' | 'wait' | 'close';

/**
 * What an open report needs: a provisional case of what it has once it is incomplete and quiet
 * for `quietMs` (one per item count: once shown, nothing more until something changes); and
 * leaving the heap (`close`) once nothing is owed and it has not changed for the open window.
 */
export function decideQuiet(check: QuietCheck): QuietDecision {
  const quietFor = check.now - check.since;
  if (quietFor < check.quietMs) return 'wait';
  const owed = !check.final && check.seen < check.expected && check.shown?.seen !== check.seen;
  if (owed) return 'write';
  return quietFor >= check.openWindowMs ? 'close' : 'wait';
}

export interface QuietScanDeps {
  state: ReportState;
  aggregator: ReportAggregator;
  writer: CaseWriter;
  open: OpenReports;
  quietMs: number;
  openWindowMs: number;
}

/**
 * Provisional cases of the open reports that went quiet incomplete, and the open reports closed
 * (`decideQuiet`). Reads the store only for reports quiet for `quietMs`, and decodes a report's
 * items only when its case is written: the scan costs the open reports, not the history.
 */
export function quietCases(deps: QuietScanDeps, now: number): OutboundRecord[] {
  const { state, open } = deps;
  const outputs: OutboundRecord[] = [];
  const held = new Set(state.partitions());
  for (const [reportId, entry] of open.entries()) {
    // Restored again after a failed batch, or moving away: looked at once it is held.
    if (!held.has(entry.partition) || now - entry.changedAt < deps.quietMs) continue;
    const report = entry.final ? undefined : state.report(entry.partition, reportId);
    const decision = decideQuiet({
      since: entry.changedAt,
      now,
      quietMs: deps.quietMs,
      openWindowMs: deps.openWindowMs,
      seen: report ? state.itemCount(entry.partition, reportId) : 0,
      // A report not arrived yet (its items came first) owes nothing: it has no case.
      expected: report?.itemCount ?? 0,
      shown: entry.shown,
      final: entry.final,
    });
    if (decision === 'close') open.close(reportId);
    if (decision !== 'write') continue;
    const progress = deps.aggregator.progress(entry.partition, reportId);
    if (progress && !progress.complete) outputs.push(deps.writer.write(progress, 'quiet'));
    // Items of a version whose report has not come: nothing to show, closed with the window.
    else if (now - entry.changedAt >= deps.openWindowMs) open.close(reportId);
  }
  return outputs;
}
