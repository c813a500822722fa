import type { OutboundRecord } from '@triage/messaging';
import type { CaseWriter } from './case-writer.ts';
import type { ReportAggregator } from './report-aggregator.ts';
import type { ReportState } from './report-state.ts';

/** When a report was last shown, and what it showed: the quiet check and re-links skip repeats. */
export interface Shown {
  /** Items seen when its last case was written. */
  seen: number;
  /** Its links then (`linkSignature`). */
  links: string;
}

export interface QuietCheck {
  /** When the report last changed; undefined when unknown here (restored from the changelog). */
  since: number | undefined;
  now: number;
  quietMs: number;
  /** Items the report has now. */
  seen: number;
  shown: Shown | undefined;
}

export type QuietDecision = 'write' | 'wait' | 'start-clock';

/**
 * Whether an incomplete report has been quiet long enough for a provisional case of what it has.
 * A report restored from the changelog has no known last change: its quiet time starts now. One
 * case per item count: once shown, nothing more until something changes.
 */
export function decideQuiet(check: QuietCheck): QuietDecision {
  if (check.since === undefined) return 'start-clock';
  if (check.now - check.since < check.quietMs) return 'wait';
  if (check.shown?.seen === check.seen) return 'wait';
  return 'write';
}

export interface QuietScanDeps {
  state: ReportState;
  aggregator: ReportAggregator;
  writer: CaseWriter;
  /** Incomplete reports: when they last changed. */
  lastChange: Map<string, number>;
  quietMs: number;
}

/** Provisional cases of the incomplete reports held here that are quiet (`decideQuiet`). */
export function quietCases(deps: QuietScanDeps, now: number): OutboundRecord[] {
  const { state, aggregator } = deps;
  const outputs: OutboundRecord[] = [];
  for (const partition of state.partitions()) {
    for (const report of state.reports(partition)) {
      // Cheap test first: most held reports are complete.
      if (state.items(partition, report.reportId).size >= report.itemCount) continue;
      const progress = aggregator.progress(partition, report.reportId);
      if (!progress || progress.complete) continue;
      const decision = decideQuiet({
        since: deps.lastChange.get(report.reportId),
        now,
        quietMs: deps.quietMs,
        seen: progress.seen,
        shown: deps.writer.shown(report.reportId),
      });
      if (decision === 'start-clock') deps.lastChange.set(report.reportId, now);
      if (decision === 'write') outputs.push(deps.writer.write(progress, 'quiet'));
    }
  }
  return outputs;
}
