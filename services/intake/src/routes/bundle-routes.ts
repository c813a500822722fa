import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { type BundleLimits, bundleIdFor } from '@triage/bundles';
import type { ContentStore } from '@triage/content-store';
import { TriageError } from '@triage/errors';
import type { BundleStatus } from '@triage/schemas';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AcceptDeps, BundleAcceptor } from '../bundles/accept-bundle.ts';
import { IntakeMediaSink } from '../bundles/intake-media-sink.ts';
import { readRequestBundle } from '../bundles/read-request-bundle.ts';
import { bundleFormatOf, checkDeclaredLength } from '../bundles/request-body.ts';
import {
  defaultUploadPace,
  type InFlightUploads,
  type UploadPace,
  watchUpload,
} from '../bundles/upload-watch.ts';
import type { ZipSpool } from '../bundles/zip-spool.ts';
import type { AuthenticatedPartner, PartnerDirectory } from '../partners/partner-directory.ts';
import { quotaRefusal } from '../pipeline/partner-quota.ts';
import type { PipelineGate } from '../pipeline/pipeline-gate.ts';
import type { ReceiptBook } from '../pipeline/receipt-book.ts';
import type { StagingSpace } from '../pipeline/staging-space.ts';
import type { UploadSlots } from '../pipeline/upload-slots.ts';
import {
  bundleIdParams,
  bundleStatusSchema,
  postBundleHeaders,
  postBundleQuery,
  problemResponses,
  receiptSchema,
} from './schemas.ts';

export interface BundleRoutesOptions extends AcceptDeps {
  partners: PartnerDirectory;
  store: ContentStore;
  gate: PipelineGate;
  limits: BundleLimits;
  /** Where ZIP bodies are spooled while they are read. */
  spool: ZipSpool;
  /** Uploads in flight per partner, capped. */
  uploads: UploadSlots;
  /** Free space of the staging volume, with its floor. */
  staging: StagingSpace;
  /** How slowly and for how long a body may arrive (defaults: `defaultUploadPace`). */
  uploadPace?: Partial<UploadPace>;
  /** Where uploads still arriving are listed, for shutdown to end them. */
  inFlight?: InFlightUploads;
}

const security = [{ partnerKey: [] }];

/**
 * The partner routes: bearer-key auth and per-partner rate limits for everything in this scope,
 * bodies handed to the handler as streams (formats and limits are ours to enforce).
 */
export async function bundleRoutes(app: FastifyInstance, options: BundleRoutesOptions): Promise<void> {
  await partnerScope(app, options.partners);
  app.post(
    '/v1/bundles',
    { schema: postBundleSchema(), onRequest: refusalBeforeBody(options) },
    postBundleHandler(options, new BundleAcceptor(options)),
  );
  app.get(
    '/v1/bundles/:bundleId',
    { schema: bundleStatusRouteSchema() },
    bundleStatusHandler(options.receipts),
  );
}

/** Authenticates every request of the scope, rate-limits it per partner and leaves bodies unread. */
async function partnerScope(app: FastifyInstance, partners: PartnerDirectory): Promise<void> {
  app.addHook('onRequest', async (request) => {
    request.partner = partners.authenticate(request.headers.authorization);
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    keyGenerator: (request) => request.partner!.partnerId,
    max: async (request) => request.partner!.rateLimit.max,
    timeWindow: async (request) => request.partner!.rateLimit.timeWindow,
    errorResponseBuilder: (_request, context) =>
      new TriageError(
        'TRIAGE_RATE_LIMITED',
        `rate limit of ${context.max} requests reached; retry in ${context.after}`,
        {
          details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
        },
      ),
  });

  // Every body reaches the handler unread: the handler decides by content type and streams it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  // preservePath: a part's filename is the entry's path (`media/<report>/<file>`), as in a ZIP;
  // the default strips folders, which merges equal base names of different reports.
  await app.register(multipart, { throwFileSizeLimit: true, preservePath: true });
}

/** Why a partner request must wait for the bundle status table, or null once it is read. */
export function statusTableRefusal(receipts: Pick<ReceiptBook, 'ready'>): TriageError | null {
  if (receipts.ready) return null;
  return new TriageError('TRIAGE_PIPELINE_BEHIND', 'intake is still reading the bundle status table', {
    details: { retryAfterSeconds: 5 },
  });
}

// A fresh schema per route: Fastify marks and normalises the route schema object it is given.
function postBundleSchema() {
  return {
    tags: ['bundles'],
    summary: 'Send a bundle of reports (JSON, CyberTipline XML, ZIP package or multipart upload)',
    description:
      'Accepted bundles are durable in the content store and on intake.bundles.v1 before the 202. ' +
      'The same bundle sent again gets its original receipt; the same reference with other content is a 409.',
    security,
    headers: postBundleHeaders,
    querystring: postBundleQuery,
    response: { 202: receiptSchema, ...problemResponses },
  };
}

function bundleStatusRouteSchema() {
  return {
    tags: ['bundles'],
    summary: "A bundle's status: received or split, per-report versions, item counts and errors",
    security,
    params: bundleIdParams,
    response: { 200: bundleStatusSchema, ...problemResponses },
  };
}

/** Refused before the body is read: nothing is spooled, staged or parsed. */
function refusalBeforeBody(options: BundleRoutesOptions) {
  return async (request: FastifyRequest): Promise<void> => {
    const refusal = statusTableRefusal(options.receipts) ?? options.gate.refusal();
    if (refusal) throw refusal;
    const { partnerId, quota } = request.partner!;
    if (quota) {
      const now = options.clock();
      const spent = quotaRefusal(quota, options.receipts.usage(partnerId, now), null, now);
      // A re-send named by its Idempotency-Key is let through: its receipt answers it, uncounted.
      const ref = request.headers['idempotency-key'];
      if (spent && !(typeof ref === 'string' && options.receipts.receipt(bundleIdFor(partnerId, ref)))) {
        throw spent;
      }
    }
    checkDeclaredLength(request.headers['content-length'], options.limits);
    const full = await options.staging.refusal();
    if (full) throw full;
  };
}

/** `POST /v1/bundles`: reads the body in its wire format, accepts the bundle, answers with the receipt. */
function postBundleHandler(options: BundleRoutesOptions, acceptor: BundleAcceptor) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const partnerId = request.partner!.partnerId;
    const format = bundleFormatOf(request.headers['content-type']);
    if (format === null) {
      throw new TriageError(
        'TRIAGE_BUNDLE_CONTENT_TYPE',
        'send application/json, application/xml, application/zip or multipart/form-data',
        { pointer: '/headers/content-type' },
      );
    }
    const query = request.query as { reportId?: string };
    const bundleRef = request.headers['idempotency-key'] as string | undefined;
    // Taken before the body is read, given back however the request ends.
    const release = options.uploads.take(partnerId);
    const sink = new IntakeMediaSink(options.store);
    const idle = watchUpload(
      request.raw,
      reply.raw,
      { ...defaultUploadPace, ...options.uploadPace },
      options.inFlight,
    );
    try {
      const reading = readRequestBundle(request, {
        format,
        limits: options.limits,
        sink,
        spool: options.spool,
        bundleRef,
        reportId: query.reportId,
      });
      // After a stall it settles only when the connection closes (the spool is removed then).
      reading.catch(() => undefined);
      const { assembled, sourceSha256 } = await Promise.race([reading, idle.stalled]).finally(idle.stop);
      const { receipt, replayed } = await acceptor.accept({
        partnerId,
        keyId: request.partner!.keyId,
        partnerBundleRef: partnerBundleRefOf(assembled.partnerBundleRef, bundleRef),
        refPointer: assembled.format === 'json' ? '/bundleRef' : '/headers/idempotency-key',
        format,
        sourceSha256,
        assembled,
        sink,
        quota: request.partner!.quota,
      });
      request.outcome = replayed ? 'replayed' : 'accepted';
      request.summary = {
        bundleId: receipt.bundleId,
        reports: receipt.reports.length,
        files: receipt.fileCount,
        newFiles: replayed ? 0 : receipt.newFileCount,
        bytes: receipt.byteCount,
      };
      // newFiles (files the store did not hold before) stays in the access log: told to a partner
      // it would say whether any partner had already sent the same file.
      const body = receiptBody(receipt);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(202).header('location', body.statusUrl).send(body);
    } catch (error) {
      await sink.discardAll();
      throw error;
    } finally {
      release();
    }
  };
}

/** The bundle's reference: from the JSON manifest, else the Idempotency-Key header (XML has no field for it). */
export function partnerBundleRefOf(fromBundle: string | null, fromHeader: string | undefined): string {
  const partnerBundleRef = fromBundle ?? fromHeader;
  if (!partnerBundleRef) {
    throw new TriageError(
      'TRIAGE_REQUEST_INVALID',
      'an XML bundle needs an Idempotency-Key header: its reference',
      {
        pointer: '/headers/idempotency-key',
      },
    );
  }
  return partnerBundleRef;
}

/** `GET /v1/bundles/:bundleId`: the receipt merged with the split status, for the partner that sent it. */
function bundleStatusHandler(receipts: ReceiptBook) {
  return async (request: FastifyRequest) => {
    const { bundleId } = request.params as { bundleId: string };
    const refusal = statusTableRefusal(receipts);
    if (refusal) throw refusal;
    const { receipt, split } = ownStatus(receipts, bundleId, request.partner!.partnerId);
    request.summary = { bundleId };
    return statusBody(receipt, split);
  };
}

/** The receipt and split status of a bundle of `partnerId`; another partner's bundle is as unknown as none. */
export function ownStatus(
  receipts: Pick<ReceiptBook, 'receipt' | 'splitStatus'>,
  bundleId: string,
  partnerId: string,
): { receipt: BundleStatus | undefined; split: BundleStatus | undefined } {
  const receipt = receipts.receipt(bundleId);
  const split = receipts.splitStatus(bundleId);
  const owner = receipt?.partnerId ?? split?.partnerId;
  if (owner === undefined || owner !== partnerId) {
    throw new TriageError('TRIAGE_BUNDLE_NOT_FOUND', `no bundle ${bundleId}`, {
      pointer: '/params/bundleId',
    });
  }
  return { receipt, split };
}

function statusUrlOf(bundleId: string): string {
  return `/v1/bundles/${bundleId}`;
}

function receiptBody(receipt: BundleStatus) {
  return {
    bundleId: receipt.bundleId,
    partnerBundleRef: receipt.partnerBundleRef,
    status: 'received' as const,
    receivedAt: new Date(receipt.receivedAt).toISOString(),
    reports: receipt.reports.map((report) => ({
      reportId: report.reportId,
      partnerReportId: report.partnerReportId,
      version: report.version,
      fileCount: report.fileCount,
    })),
    files: receipt.fileCount,
    bytes: receipt.byteCount,
    statusUrl: statusUrlOf(receipt.bundleId),
  };
}

/** The receipt (versions, counts) merged with the splitter's status (items, per-report errors). */
function statusBody(receipt: BundleStatus | undefined, split: BundleStatus | undefined) {
  const base = (receipt ?? split)!;
  const splitReports = new Map((split?.reports ?? []).map((report) => [report.reportId, report]));
  return {
    bundleId: base.bundleId,
    partnerBundleRef: base.partnerBundleRef,
    stage: split ? ('split' as const) : ('received' as const),
    format: base.format,
    receivedAt: new Date(base.receivedAt).toISOString(),
    updatedAt: new Date(Math.max(receipt?.updatedAt ?? 0, split?.updatedAt ?? 0)).toISOString(),
    files: base.fileCount,
    bytes: base.byteCount,
    items: split ? split.reports.reduce((sum, report) => sum + (report.itemCount ?? 0), 0) : null,
    reports: (receipt ?? split)!.reports.map((report) => {
      const splitReport = splitReports.get(report.reportId);
      return {
        reportId: report.reportId,
        partnerReportId: report.partnerReportId,
        version: report.version,
        fileCount: report.fileCount,
        itemCount: splitReport?.itemCount ?? null,
        // The splitter re-derives every warning the receipt has (and more), so once split its
        // list replaces the receipt's instead of repeating it.
        errors: splitReport ? splitReport.errors : report.errors,
      };
    }),
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The partner whose key authenticated the request (partner routes only). */
    partner: AuthenticatedPartner | null;
    /** What the access log line says about the bundle (never personal data). */
    summary: {
      bundleId?: string;
      reports?: number;
      files?: number;
      newFiles?: number;
      bytes?: number;
    } | null;
  }
}
