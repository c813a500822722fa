import type { OutboundRecord } from '@triage/messaging';
import type { Report } from '@triage/schemas';
import type { IdentifierKey, SuspectLinkIndex } from '@triage/scoring';
import type { CaseWriter } from './case-writer.ts';
import type { ReportAggregator } from './report-aggregator.ts';
import type { ReportState } from './report-state.ts';

export interface RelinkDeps {
  links: SuspectLinkIndex;
  state: ReportState;
  aggregator: ReportAggregator;
  writer: CaseWriter;
}

/**
 * Cases of the reports held here whose links changed with these identifiers, in report id order.
 * A report that lost its row (or whose row is not read back yet) is still re-linked through the
 * others; one whose links did not change is not written again.
 */
export function relinkCases(deps: RelinkDeps, identifiers: Iterable<IdentifierKey>): OutboundRecord[] {
  const candidates = new Set<string>();
  for (const identifier of identifiers) {
    for (const reportId of deps.links.members(identifier).keys()) candidates.add(reportId);
  }
  const outputs: OutboundRecord[] = [];
  const held = deps.state.partitions();
  for (const reportId of [...candidates].sort()) {
    let partition: number | undefined;
    let report: Report | undefined;
    for (const candidate of held) {
      report = deps.state.report(candidate, reportId);
      if (report) {
        partition = candidate;
        break;
      }
    }
    // Links first: the report's items are read from the store only when its case is written.
    if (partition === undefined || !report || !deps.writer.linksChanged(report)) continue;
    const progress = deps.aggregator.progress(partition, reportId);
    if (progress) outputs.push(deps.writer.write(progress, 'link'));
  }
  return outputs;
}
