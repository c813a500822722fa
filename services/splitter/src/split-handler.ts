import { bundleContentDigest, splitBundle, splitBundleStatus, splitStatusKey } from '@triage/bundles';
import type { Logger } from '@triage/logging';
import { type OutboundRecord, type Output, outputBarrier, type RecordHandler } from '@triage/messaging';
import type { Bundle, Codec, Item, Report } from '@triage/schemas';

export interface SplitHandlerDeps {
  codec: Codec;
  /** Deployed topic names. */
  topics: { reports: string; items: string; bundleStatus: string };
  clock: () => number;
  logger: Logger;
  /** Whether a report is erased (the erasure ledger, ADR 0020): its report and items are not sent again. */
  erased?: (reportId: string) => boolean;
}

/**
 * intake.bundles (key bundleId) -> reports and items (key reportId), then the split status
 * (key `<bundleId>#split`). The handler yields them lazily, each encoded as the runner sends it
 * in chunks, so a bundle of thousands of reports or files is never held encoded at once; the
 * barrier before the status makes the runner send it only once every report and item is
 * acknowledged. A bundle that does not decode is dead-lettered by the runner.
 */
export function createSplitHandler(deps: SplitHandlerDeps): RecordHandler {
  return (record) => {
    const bundle = deps.codec.decode('Bundle', record.value ?? Buffer.alloc(0));
    return bundleRecords(deps, bundle);
  };
}

function* bundleRecords(deps: SplitHandlerDeps, bundle: Bundle): Generator<Output> {
  const { codec, topics } = deps;
  const split = splitBundle(bundle);
  yield* reportRecords(split.reports, split.items, codec, topics, deps.erased ?? (() => false));
  const status = splitBundleStatus(bundle, split.statuses, {
    contentDigest: bundleContentDigest(bundle),
    updatedAt: deps.clock(),
  });
  // Last, and only once every report and item is acknowledged: `split` means all of it is out.
  yield outputBarrier;
  yield {
    topic: topics.bundleStatus,
    key: splitStatusKey(bundle.bundleId),
    value: codec.encode('BundleStatus', status),
  };
  deps.logger.debug(
    { bundleId: bundle.bundleId, reports: split.reports.length, items: split.items.length },
    'bundle split',
  );
}

/** Each report followed by its items, encoded as they are sent; an erased report's are left out. */
function* reportRecords(
  reports: readonly Report[],
  items: readonly Item[],
  codec: Codec,
  topics: SplitHandlerDeps['topics'],
  erased: (reportId: string) => boolean,
): Generator<OutboundRecord> {
  let next = 0;
  for (const report of reports) {
    if (erased(report.reportId)) {
      next += report.itemCount;
      continue;
    }
    yield { topic: topics.reports, key: report.reportId, value: codec.encode('Report', report) };
    // splitBundle lists each report's itemCount items together, in report order.
    for (const end = next + report.itemCount; next < end; next++) {
      yield { topic: topics.items, key: report.reportId, value: codec.encode('Item', items[next]!) };
    }
  }
}
