import type { OutboundRecord } from '@triage/messaging';
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
  for (const reportId of [...candidates].sort()) {
    const partition = deps.state.partitions().find((held) => deps.state.report(held, reportId) !== undefined);
    if (partition === undefined) continue;
    const progress = deps.aggregator.progress(partition, reportId);
    if (!progress || !deps.writer.linksChanged(progress.report)) continue;
    outputs.push(deps.writer.write(progress, 'link'));
  }
  return outputs;
}
