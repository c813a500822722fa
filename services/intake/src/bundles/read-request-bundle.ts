import type { AssembledBundle, BundleLimits } from '@triage/bundles';
import { fileTooLargeError, PackageCollector } from '@triage/bundles';
import { TriageError } from '@triage/errors';
import type { BundleFormat } from '@triage/schemas';
import type { FastifyRequest } from 'fastify';
import type { IntakeMediaSink } from './intake-media-sink.ts';
import { bundleFormatOf, readDocument } from './request-body.ts';
import type { ZipSpool } from './zip-spool.ts';

export interface RequestBundleOptions {
  format: BundleFormat;
  limits: BundleLimits;
  sink: IntakeMediaSink;
  spool: ZipSpool;
  /** `Idempotency-Key` header. */
  bundleRef: string | undefined;
  /** `reportId` query parameter (XML). */
  reportId: string | undefined;
}

export interface RequestBundle {
  assembled: AssembledBundle;
  /** sha256 of the request's own document (JSON or XML body), staged with the media. */
  sourceSha256: string | null;
}

/**
 * Reads one request body in its wire format through the shared package collector: documents are
 * parsed and validated, media streamed into the sink. Throws the first problem found.
 */
export async function readRequestBundle(
  request: FastifyRequest,
  options: RequestBundleOptions,
): Promise<RequestBundle> {
  const { format, limits, sink } = options;
  const collector = new PackageCollector({
    limits,
    sink,
    ...(options.reportId === undefined ? {} : { reportId: options.reportId }),
    ...(options.bundleRef === undefined ? {} : { bundleRef: options.bundleRef }),
  });
  let sourceSha256: string | null = null;
  if (format === 'json' || format === 'xml') {
    const body = await readDocument(
      request.body as AsyncIterable<Buffer>,
      limits,
      '/body',
      collector.documentBytesLeft,
    );
    collector.addDocument(format === 'json' ? 'bundle.json' : 'report.xml', body);
    sourceSha256 = (await sink.stageSource(body)).sha256;
  } else if (format === 'zip') {
    const spooled = await options.spool.write(request.body as NodeJS.ReadableStream, limits);
    try {
      await spooled.readInto(collector, limits);
    } finally {
      await spooled.remove();
    }
  } else {
    await readMultipart(request, collector, limits);
  }
  return { assembled: collector.finish(), sourceSha256 };
}

/**
 * multipart/form-data: `manifest` (JSON or report XML, by its content type), `fileDetails` (XML)
 * and `file` parts in any order. Media parts stream straight into the sink; the whole body is
 * counted, and refused past maxBundleBytes, since the multipart parser has no total limit.
 */
async function readMultipart(
  request: FastifyRequest,
  collector: PackageCollector,
  limits: BundleLimits,
): Promise<void> {
  let total = 0;
  let current: NodeJS.ReadableStream | undefined;
  let overflow: (error: TriageError) => void = () => undefined;
  const overflowed = new Promise<never>((_, reject) => {
    overflow = reject;
  });
  overflowed.catch(() => undefined);
  const count = (chunk: Buffer) => {
    total += chunk.length;
    if (total <= limits.maxBundleBytes) return;
    const error = new TriageError(
      'TRIAGE_BUNDLE_TOO_LARGE',
      `the body is over ${limits.maxBundleBytes} bytes`,
      {
        pointer: '/body',
        details: { size: total },
      },
    );
    request.raw.off('data', count);
    request.raw.unpipe();
    (current as { destroy?: (error: Error) => void } | undefined)?.destroy?.(error);
    overflow(error);
  };
  request.raw.on('data', count);
  const parts = request.parts({
    limits: {
      // One byte over, so the collector's own check (naming the entry) fires first.
      fileSize: limits.maxFileBytes + 1,
      files: limits.maxEntries,
      fieldSize: limits.maxDocumentBytes,
      fields: limits.maxEntries + 1,
      parts: 2 * limits.maxEntries + 1,
    },
  });
  let fileDetails = 0;
  try {
    const iterator = parts[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([iterator.next(), overflowed]);
      if (next.done) break;
      const part = next.value;
      const pointer = `/parts/${part.fieldname}`;
      if (part.fieldname === 'file') {
        if (part.type !== 'file' || !part.filename) {
          throw new TriageError('TRIAGE_REQUEST_INVALID', 'a `file` part needs a filename: the entry name', {
            pointer,
          });
        }
        current = part.file;
        const adding = collector.addMedia(part.filename, part.file).catch((error: unknown) => {
          throw fileTooLarge(error, part.filename, limits);
        });
        adding.catch(() => undefined);
        await Promise.race([adding, overflowed]);
        current = undefined;
        continue;
      }
      if (part.fieldname !== 'manifest' && part.fieldname !== 'fileDetails') {
        throw new TriageError(
          'TRIAGE_REQUEST_INVALID',
          `unknown part ${part.fieldname}: parts are manifest, fileDetails and file`,
          { pointer },
        );
      }
      let bytes: Buffer;
      if (part.type === 'file') {
        const reading = readDocument(part.file, limits, pointer, collector.documentBytesLeft);
        reading.catch(() => undefined);
        bytes = await Promise.race([reading, overflowed]);
      } else {
        if (part.valueTruncated) {
          throw new TriageError(
            'TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE',
            `the ${part.fieldname} part is over ${limits.maxDocumentBytes} bytes`,
            { pointer },
          );
        }
        // The multipart parser has already parsed a JSON field: its text again, same content.
        bytes = Buffer.from(typeof part.value === 'string' ? part.value : JSON.stringify(part.value), 'utf8');
      }
      if (part.fieldname === 'fileDetails') {
        fileDetails += 1;
        collector.addDocument(
          part.type === 'file' && part.filename ? part.filename : `fileDetails-${fileDetails}.xml`,
          bytes,
        );
      } else {
        const manifestFormat = bundleFormatOf(part.mimetype);
        if (manifestFormat !== 'json' && manifestFormat !== 'xml') {
          throw new TriageError(
            'TRIAGE_BUNDLE_CONTENT_TYPE',
            'the manifest part must be application/json or application/xml',
            { pointer: `${pointer}/content-type` },
          );
        }
        collector.addDocument(manifestFormat === 'json' ? 'bundle.json' : 'report.xml', bytes);
      }
    }
  } catch (error) {
    throw multipartSyntaxError(error);
  } finally {
    request.raw.off('data', count);
  }
}

/** The multipart parser's own complaints (no boundary, body cut off) as the partner's error. */
function multipartSyntaxError(error: unknown): unknown {
  const message = error instanceof Error && !('code' in error) ? error.message : '';
  if (message.startsWith('Multipart: Boundary not found') || message === 'Boundary required') {
    return new TriageError('TRIAGE_REQUEST_INVALID', 'multipart/form-data needs a boundary parameter', {
      pointer: '/headers/content-type',
      cause: error,
    });
  }
  if (
    message.includes('unexpected end of multipart data') ||
    message === 'Unexpected end of multipart data'
  ) {
    return new TriageError('TRIAGE_REQUEST_INVALID', 'the multipart body ends before its closing boundary', {
      pointer: '/body',
      cause: error,
    });
  }
  return error;
}

/** The multipart parser's own per-file limit, as the catalogue error naming the part. */
function fileTooLarge(error: unknown, filename: string, limits: BundleLimits): unknown {
  if ((error as { code?: string } | null)?.code !== 'FST_REQ_FILE_TOO_LARGE') return error;
  return fileTooLargeError(filename, limits, { pointer: `/parts/file/${filename}`, cause: error });
}
