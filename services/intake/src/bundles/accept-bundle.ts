import {
  type AssembledBundle,
  bundleContentDigest,
  bundleIdFor,
  partnerHashIssues,
  toBundleRecord,
} from '@triage/bundles';
import { TriageError } from '@triage/errors';
import { bundleRecordMaxBytes, type RecordProducer } from '@triage/messaging';
import type { PartnerQuota } from '@triage/partners';
import type { Bundle, BundleFormat, BundleStatus, Codec } from '@triage/schemas';
import type { KeyedSerialQueue } from '../pipeline/keyed-serial-queue.ts';
import { quotaRefusal } from '../pipeline/partner-quota.ts';
import type { ReceiptBook } from '../pipeline/receipt-book.ts';
import type { UnpublishedMedia } from '../pipeline/unpublished-media.ts';
import type { IntakeMediaSink } from './intake-media-sink.ts';

export interface AcceptDeps {
  codec: Codec;
  producer: RecordProducer;
  receipts: ReceiptBook;
  queue: KeyedSerialQueue;
  /** Deployed topic names. */
  topics: { bundles: string; status: string };
  clock: () => number;
  /** Largest encoded Bundle record; the bundles topic's limit unless a test sets a smaller one. */
  recordMaxBytes?: number;
  /** Journal of media committed before its bundle is published, for the reclaim sweep; absent: none kept. */
  unpublished?: UnpublishedMedia;
}

export interface AcceptRequest {
  partnerId: string;
  /** The API key that authenticated the upload: on the bundle record, so a leaked key's uploads can be listed. */
  keyId: string;
  partnerBundleRef: string;
  /** Where the reference came from, for the 409's pointer. */
  refPointer: string;
  format: BundleFormat;
  sourceSha256: string | null;
  assembled: AssembledBundle;
  sink: IntakeMediaSink;
  /** The partner's daily quota (partners file); none when absent. */
  quota?: PartnerQuota | undefined;
}

export interface AcceptResult {
  receipt: BundleStatus;
  /** True when the same bundle had been accepted before: its original receipt, nothing published. */
  replayed: boolean;
}

/**
 * The accept step. Requests for one bundle reference run one after another: a re-sent bundle
 * gets its original receipt and a reused reference is refused before anything is stored. The
 * media is then made durable, outside the partner's lock, so one partner's concurrent uploads
 * sync their files side by side. Under the partner's lock the report versions are numbered and
 * the bundle and its receipt are published together (one Kafka transaction, ADR 0016). Any
 * failure leaves neither visible to readers of committed records; the caller discards what is
 * still staged.
 */
export function acceptBundle(request: AcceptRequest, deps: AcceptDeps): Promise<AcceptResult> {
  const { partnerId, partnerBundleRef, sink } = request;
  const bundleId = bundleIdFor(partnerId, partnerBundleRef);
  return deps.queue.run(`bundle:${bundleId}`, async () => {
    const existing = deps.receipts.receipt(bundleId);
    if (existing) {
      // The digest leaves versions and times out: only the content decides.
      const resent = bundleRecord(request, existing.receivedAt, nextVersion(deps));
      if (existing.contentDigest !== bundleContentDigest(resent)) {
        throw new TriageError(
          'TRIAGE_BUNDLE_REF_REUSED',
          `bundle reference ${partnerBundleRef} was used for other content on ${new Date(existing.receivedAt).toISOString()}`,
          { pointer: request.refPointer, details: { bundleId } },
        );
      }
      await sink.discardAll();
      return { receipt: existing, replayed: true };
    }
    // Sized with the versions known now; numbering under the lock cannot change the size much.
    const draft = bundleRecord(request, deps.clock(), nextVersion(deps));
    checkQuota(request, draft, deps);
    checkRecordSize(deps.codec.encode('Bundle', draft), deps);
    // Journaled alongside the commit (both fsync; in turn they cost a bundle 0.5 ms more): a publish
    // that fails, or a crash after both, leaves candidates to reclaim. A crash between the two
    // can only leave a file unjournaled, a leak the reclaim never sees, never a deletion.
    const [intent, { newFiles }] = await Promise.all([
      deps.unpublished?.intend(sink.stagedSha256s()),
      sink.commitAll(),
    ]);
    return deps.queue.run(`partner:${partnerId}`, async () => {
      const bundle = bundleRecord(request, deps.clock(), nextVersion(deps));
      // Again under the partner's lock: its uploads in parallel must not pass the quota together.
      checkQuota(request, bundle, deps);
      const value = deps.codec.encode('Bundle', bundle);
      checkRecordSize(value, deps);
      const receipt = receiptOf(bundle, bundleContentDigest(bundle), newFiles);
      // One send, one transaction with intake's producer: a reader sees the bundle and its receipt
      // or neither, so a crash between them cannot leave a version numbered but unrecorded.
      await publish(deps, [
        { topic: deps.topics.bundles, key: bundleId, value },
        { topic: deps.topics.status, key: bundleId, value: deps.codec.encode('BundleStatus', receipt) },
      ]);
      await intent?.published();
      deps.receipts.record(receipt);
      return { receipt, replayed: false };
    });
  });
}

/** A report seen before gets the next version (from every partner's receipts). */
function nextVersion(deps: AcceptDeps): (reportId: string) => number {
  return (reportId) => deps.receipts.latestVersion(reportId) + 1;
}

function bundleRecord(
  request: AcceptRequest,
  receivedAt: number,
  versionOf: (reportId: string) => number,
): Bundle {
  return toBundleRecord(request.assembled, {
    partnerId: request.partnerId,
    partnerBundleRef: request.partnerBundleRef,
    keyId: request.keyId,
    receivedAt,
    format: request.format,
    sourceSha256: request.sourceSha256,
    versionOf,
  });
}

/** A bundle that would pass the partner's quota for the day is refused before anything is committed. */
function checkQuota(request: AcceptRequest, bundle: Bundle, deps: AcceptDeps): void {
  if (!request.quota) return;
  const used = deps.receipts.usage(request.partnerId, bundle.receivedAt);
  const incoming = { reports: bundle.reports.length, bytes: mediaBytes(bundle) };
  const refusal = quotaRefusal(request.quota, used, incoming, bundle.receivedAt);
  if (refusal) throw refusal;
}

function mediaBytes(bundle: Bundle): number {
  return bundle.reports
    .flatMap((entry) => entry.files)
    .reduce((sum, file) => sum + Number(file.size ?? 0), 0);
}

function checkRecordSize(value: Buffer, deps: AcceptDeps): void {
  const recordMaxBytes = deps.recordMaxBytes ?? bundleRecordMaxBytes;
  if (value.length > recordMaxBytes) {
    throw new TriageError(
      'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
      `the bundle's metadata takes ${value.length} bytes, over the ${recordMaxBytes} a bundle record may hold: split it`,
      { pointer: '/reports', details: { recordBytes: value.length } },
    );
  }
}

async function publish(deps: AcceptDeps, records: Parameters<RecordProducer['send']>[0]): Promise<void> {
  try {
    await deps.producer.send(records);
  } catch (error) {
    throw new TriageError('TRIAGE_PIPELINE_BEHIND', 'Kafka did not take the bundle; nothing was accepted', {
      cause: error,
      details: { retryAfterSeconds: 10 },
    });
  }
}

function receiptOf(bundle: Bundle, contentDigest: string, newFiles: number): BundleStatus {
  const files = bundle.reports.flatMap((entry) => entry.files);
  return {
    bundleId: bundle.bundleId,
    partnerId: bundle.partnerId,
    partnerBundleRef: bundle.partnerBundleRef,
    receivedAt: bundle.receivedAt,
    contentDigest,
    format: bundle.format,
    stage: 'received',
    updatedAt: bundle.receivedAt,
    fileCount: files.length,
    newFileCount: newFiles,
    byteCount: mediaBytes(bundle),
    reports: bundle.reports.map(({ report, files: reportFiles }, reportIndex) => ({
      reportId: report.reportId,
      partnerReportId: report.partnerReportId,
      version: report.version,
      fileCount: reportFiles.length,
      itemCount: null,
      // Warnings before the split; the splitter's status repeats them with everything else it finds.
      errors: reportFiles.flatMap((file, fileIndex) =>
        partnerHashIssues(file, `/reports/${reportIndex}/files/${fileIndex}`),
      ),
    })),
  };
}
