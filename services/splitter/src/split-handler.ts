import { bundleContentDigest, splitBundle, splitBundleStatus, splitStatusKey } from '@triage/bundles';
import type { Logger } from '@triage/logging';
import type { OutboundRecord, RecordHandler, RecordProducer, SendLimits } from '@triage/messaging';
import type { Codec, Item, Report } from '@triage/schemas';
import { sendInChunks } from './send-in-chunks.ts';

export interface SplitHandlerDeps {
  codec: Codec;
  /** Where the reports and items go, chunk by chunk, before the status. */
  producer: RecordProducer;
  /** Deployed topic names. */
  topics: { reports: string; items: string; bundleStatus: string };
  chunkLimits: SendLimits;
  clock: () => number;
  logger: Logger;
}

/**
 * intake.bundles (key bundleId) -> reports and items (key reportId), then the split status
 * (key `<bundleId>#split`). The handler produces them itself, in chunks, so a bundle of thousands
 * of reports or files never becomes one huge produce call; all are acknowledged before the
 * runner commits the bundle's offset. A bundle that does not decode is dead-lettered by the runner.
 */
export function createSplitHandler(deps: SplitHandlerDeps): RecordHandler {
  const { codec, topics } = deps;
  return async (record, context) => {
    const bundle = codec.decode('Bundle', record.value ?? Buffer.alloc(0));
    const split = splitBundle(bundle);
    await sendInChunks(
      deps.producer,
      reportRecords(split.reports, split.items, codec, topics),
      deps.chunkLimits,
      context.signal,
    );
    const status = splitBundleStatus(bundle, split.statuses, {
      contentDigest: bundleContentDigest(bundle),
      updatedAt: deps.clock(),
    });
    // Last, and only once every report and item is acknowledged: `split` means all of it is out.
    context.signal.throwIfAborted();
    await deps.producer.send([
      {
        topic: topics.bundleStatus,
        key: splitStatusKey(bundle.bundleId),
        value: codec.encode('BundleStatus', status),
      },
    ]);
    deps.logger.debug(
      { bundleId: bundle.bundleId, reports: split.reports.length, items: split.items.length },
      'bundle split',
    );
    return [];
  };
}

/** Each report followed by its items, encoded as they are sent. */
function* reportRecords(
  reports: readonly Report[],
  items: readonly Item[],
  codec: Codec,
  topics: SplitHandlerDeps['topics'],
): Generator<OutboundRecord> {
  let next = 0;
  for (const report of reports) {
    yield { topic: topics.reports, key: report.reportId, value: codec.encode('Report', report) };
    // splitBundle lists each report's itemCount items together, in report order.
    for (const end = next + report.itemCount; next < end; next++) {
      yield { topic: topics.items, key: report.reportId, value: codec.encode('Item', items[next]!) };
    }
  }
}
