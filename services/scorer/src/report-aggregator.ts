import type { EnrichedItem, Report } from '@triage/schemas';
import type { ReportState } from './report-state.ts';

/** A report version with the items seen so far: what a case is built from. */
export interface ReportProgress {
  /** The partition that holds it. */
  partition: number;
  report: Report;
  /** Items of this version, in item order. */
  items: EnrichedItem[];
  seen: number;
  expected: number;
  complete: boolean;
}

/** Why a record makes the report's case due (the flush emits at most one case per report per batch). */
export type CaseTrigger =
  /** A report version arrived (first case of the version, or a re-delivery). */
  | 'report'
  /** Another `provisionalEvery` distinct items arrived. */
  | 'progress'
  /** Every item of the version is in (also on a re-delivered item, so a lost final case comes back). */
  | 'complete';

export type ReportOutcome =
  | { accepted: false }
  | { accepted: true; previous: Report | undefined; trigger: CaseTrigger };

export type ItemOutcome = { accepted: false } | { accepted: true; trigger: CaseTrigger | null };

/**
 * Set-like per-report aggregation. The current version of a report is the highest version seen
 * on either input; records of older versions are ignored, and a newer version drops the items of
 * the older one. Items that come before their report are kept; the case waits for the report.
 */
export class ReportAggregator {
  readonly #state: ReportState;
  readonly #provisionalEvery: number;

  constructor(state: ReportState, provisionalEvery: number) {
    this.#state = state;
    this.#provisionalEvery = provisionalEvery;
  }

  applyReport(partition: number, report: Report): ReportOutcome {
    const current = this.#currentVersion(partition, report.reportId);
    if (report.version < current) return { accepted: false };
    const previous = this.#state.report(partition, report.reportId);
    if (report.version > current) this.#dropItems(partition, report.reportId);
    this.#state.putReport(partition, report);
    const progress = this.progress(partition, report.reportId);
    return {
      accepted: true,
      previous: previous?.version === report.version ? undefined : previous,
      trigger: progress?.complete ? 'complete' : 'report',
    };
  }

  applyItem(partition: number, enriched: EnrichedItem): ItemOutcome {
    const { reportId, reportVersion, itemId } = enriched.item;
    const current = this.#currentVersion(partition, reportId);
    if (reportVersion < current) return { accepted: false };
    if (reportVersion > current) this.#dropItems(partition, reportId);
    const isNew = !this.#state.hasItem(partition, reportId, itemId);
    // Always written: a re-run upstream (new list matches) brings new facts under the same id.
    this.#state.putItem(partition, enriched);
    const report = this.#state.report(partition, reportId);
    if (report?.version !== reportVersion) return { accepted: true, trigger: null };
    const seen = this.#state.itemCount(partition, reportId);
    if (seen >= report.itemCount) return { accepted: true, trigger: 'complete' };
    if (isNew && seen % this.#provisionalEvery === 0) return { accepted: true, trigger: 'progress' };
    return { accepted: true, trigger: null };
  }

  /** The current version's report and items, or null while that version's report has not arrived. */
  progress(partition: number, reportId: string): ReportProgress | null {
    const report = this.#state.report(partition, reportId);
    if (!report) return null;
    const held = [...this.#state.items(partition, reportId).values()];
    if (held.length > 0 && held[0]!.item.reportVersion !== report.version) return null;
    const items = held.sort(
      (a, b) => a.item.itemIndex - b.item.itemIndex || compare(a.item.itemId, b.item.itemId),
    );
    return {
      partition,
      report,
      items,
      seen: items.length,
      expected: report.itemCount,
      complete: items.length >= report.itemCount,
    };
  }

  /** Every item held for a report has the same version (older ones are dropped on arrival of a newer one). */
  #currentVersion(partition: number, reportId: string): number {
    const reportVersion = this.#state.report(partition, reportId)?.version ?? 0;
    const itemVersion = this.#state.firstItem(partition, reportId)?.item.reportVersion ?? 0;
    return Math.max(reportVersion, itemVersion);
  }

  #dropItems(partition: number, reportId: string): void {
    for (const itemId of [...this.#state.itemIds(partition, reportId)]) {
      this.#state.deleteItem(partition, itemId);
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
