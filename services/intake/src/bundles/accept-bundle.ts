import {
  type AssembledBundle,
  bundleContentDigest,
  bundleIdFor,
  partnerHashIssues,
  toBundleRecord,
} from '@triage/bundles';
import { TriageError } from '@triage/errors';
import { bundleRecordMaxBytes, type OutboundRecord, type RecordProducer } from '@triage/messaging';
import type { PartnerQuota } from '@triage/partners';
import type { Bundle, BundleFormat, BundleStatus, Codec } from '@triage/schemas';
import { type BatchOutcome, BatchQueue } from '../pipeline/batch-queue.ts';
import type { KeyedSerialQueue } from '../pipeline/keyed-serial-queue.ts';
import { quotaRefusal } from '../pipeline/partner-quota.ts';
import type { ReceiptBook } from '../pipeline/receipt-book.ts';
import { type DailyUsage, utcDay, withReceipt } from '../pipeline/receipt-rows.ts';
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

/** A bundle whose media is durable, waiting for the next publish batch. */
interface PublishJob {
  readonly request: AcceptRequest;
  readonly newFiles: number;
  /** The encoded size of its draft record: batches stay within one record's limit. */
  readonly draftBytes: number;
}

/** Bundles published in one transaction at most. */
const maxBundlesPerTransaction = 64;

/**
 * The accept step. Requests for one bundle reference run one after another: a re-sent bundle
 * gets its original receipt and a reused reference is refused before anything is stored. The
 * media is then made durable, concurrent uploads syncing their files side by side. Then the
 * bundles are numbered and published in batches (group commit, every partner's together): each
 * batch's bundles and receipts go in one Kafka transaction (ADR 0016) and into the receipt store
 * in one write, and the bundles that arrive meanwhile make the next batch. Any failure leaves
 * neither visible to readers of committed records; the caller discards what is still staged.
 */
export class BundleAcceptor {
  readonly #deps: AcceptDeps;
  readonly #batches: BatchQueue<PublishJob, BundleStatus>;

  constructor(deps: AcceptDeps) {
    this.#deps = deps;
    this.#batches = new BatchQueue<PublishJob, BundleStatus>(
      {
        maxJobs: maxBundlesPerTransaction,
        // Every record of a batch may land in one partition's record batch, which has the record's limit.
        maxWeight: deps.recordMaxBytes ?? bundleRecordMaxBytes,
        weigh: (job) => job.draftBytes,
      },
      (jobs) => this.#publishBatch(jobs),
    );
  }

  accept(request: AcceptRequest): Promise<AcceptResult> {
    const deps = this.#deps;
    const { partnerId, partnerBundleRef, sink } = request;
    const bundleId = bundleIdFor(partnerId, partnerBundleRef);
    return deps.queue.run(`bundle:${bundleId}`, async () => {
      const existing = deps.receipts.receipt(bundleId);
      if (existing) {
        // The digest leaves versions and times out: only the content decides.
        const resent = bundleRecord(request, existing.receivedAt, nextVersion(deps.receipts));
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
      // Sized with the versions known now; numbering in the batch cannot change the size much.
      const draft = bundleRecord(request, deps.clock(), nextVersion(deps.receipts));
      checkQuota(request, draft, () => deps.receipts.usage(partnerId, draft.receivedAt));
      const draftBytes = checkRecordSize(deps.codec.encode('Bundle', draft), deps);
      // The transaction that will carry it is begun while the media is fsynced (ADR 0016).
      deps.producer.prepare?.([
        { topic: deps.topics.bundles, key: bundleId },
        { topic: deps.topics.status, key: bundleId },
      ]);
      // Journaled alongside the commit: a publish that fails, or a crash after both, leaves
      // candidates to reclaim. A crash between the two can only leave a file unjournaled, a leak
      // the reclaim never sees, never a deletion.
      const [intent, { newFiles }] = await Promise.all([
        deps.unpublished?.intend(sink.stagedSha256s()),
        sink.commitAll(),
      ]);
      const receipt = await this.#batches.run({ request, newFiles, draftBytes });
      // Best effort and off the answer's path: an entry left behind costs the sweep one proof.
      void intent?.published();
      return { receipt, replayed: false };
    });
  }

  /**
   * Numbers a batch of bundles in arrival order (a report in two of them gets two versions),
   * checks each against its partner's quota with the ones before it counted, and publishes the
   * rest with their receipts in one transaction. A bundle refused here fails alone.
   */
  async #publishBatch(jobs: readonly PublishJob[]): Promise<BatchOutcome<BundleStatus>[]> {
    const deps = this.#deps;
    const batch = new PendingBatch(deps.receipts);
    const outcomes: BatchOutcome<BundleStatus>[] = [];
    const records: OutboundRecord[] = [];
    for (const { request, newFiles } of jobs) {
      try {
        const bundle = bundleRecord(request, deps.clock(), (reportId) => batch.latestVersion(reportId) + 1);
        // Counted with the batch: a partner's uploads in parallel must not pass the quota together.
        checkQuota(request, bundle, () => batch.usage(request.partnerId, bundle.receivedAt));
        const value = deps.codec.encode('Bundle', bundle);
        checkRecordSize(value, deps);
        const receipt = receiptOf(bundle, bundleContentDigest(bundle), newFiles);
        // Bundle and receipt in one transaction: a crash between them cannot leave a version
        // numbered but unrecorded.
        records.push(
          { topic: deps.topics.bundles, key: bundle.bundleId, value },
          {
            topic: deps.topics.status,
            key: bundle.bundleId,
            value: deps.codec.encode('BundleStatus', receipt),
          },
        );
        batch.add(receipt);
        outcomes.push({ ok: true, value: receipt });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    if (batch.receipts.length > 0) {
      await publish(deps, records);
      deps.receipts.recordAll(batch.receipts);
    }
    return outcomes;
  }
}

/** The receipts of a batch being built, seen through the receipt book: versions and usage count them. */
class PendingBatch {
  readonly receipts: BundleStatus[] = [];
  readonly #book: ReceiptBook;
  readonly #versions = new Map<string, number>();

  constructor(book: ReceiptBook) {
    this.#book = book;
  }

  latestVersion(reportId: string): number {
    return this.#versions.get(reportId) ?? this.#book.latestVersion(reportId);
  }

  usage(partnerId: string, at: number): DailyUsage {
    const day = utcDay(at);
    return this.receipts
      .filter((receipt) => receipt.partnerId === partnerId && utcDay(receipt.receivedAt) === day)
      .reduce((used, receipt) => withReceipt(used, receipt, 1), this.#book.usage(partnerId, at));
  }

  add(receipt: BundleStatus): void {
    this.receipts.push(receipt);
    for (const report of receipt.reports) this.#versions.set(report.reportId, report.version);
  }
}

/** A report seen before gets the next version (from every partner's receipts). */
function nextVersion(receipts: ReceiptBook): (reportId: string) => number {
  return (reportId) => receipts.latestVersion(reportId) + 1;
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
function checkQuota(request: AcceptRequest, bundle: Bundle, usedToday: () => DailyUsage): void {
  if (!request.quota) return;
  const used = usedToday();
  const incoming = { reports: bundle.reports.length, bytes: mediaBytes(bundle) };
  const refusal = quotaRefusal(request.quota, used, incoming, bundle.receivedAt);
  if (refusal) throw refusal;
}

function mediaBytes(bundle: Bundle): number {
  return bundle.reports
    .flatMap((entry) => entry.files)
    .reduce((sum, file) => sum + Number(file.size ?? 0), 0);
}

/** Returns the record's size when it fits. */
function checkRecordSize(value: Buffer, deps: AcceptDeps): number {
  const recordMaxBytes = deps.recordMaxBytes ?? bundleRecordMaxBytes;
  if (value.length > recordMaxBytes) {
    throw new TriageError(
      'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
      `the bundle's metadata takes ${value.length} bytes, over the ${recordMaxBytes} a bundle record may hold: split it`,
      { pointer: '/reports', details: { recordBytes: value.length } },
    );
  }
  return value.length;
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
