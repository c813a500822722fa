import { type BundleLimits, documentsTooLarge } from '@triage/bundles';
import { TriageError } from '@triage/errors';
import type { BundleFormat } from '@triage/schemas';

function tooLarge(limits: BundleLimits, size: number, pointer: string): TriageError {
  // The tighter limit is the one broken: a document body is also the whole bundle.
  return limits.maxDocumentBytes <= limits.maxBundleBytes
    ? new TriageError(
        'TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE',
        `the document is over ${limits.maxDocumentBytes} bytes (INTAKE_MAX_DOCUMENT_BYTES)`,
        { pointer, details: { size } },
      )
    : new TriageError('TRIAGE_BUNDLE_TOO_LARGE', `the body is over ${limits.maxBundleBytes} bytes`, {
        pointer,
        details: { size },
      });
}

/**
 * Reads a document (JSON manifest, XML report) into memory, refusing it as soon as it passes the
 * document or bundle limit, or the document bytes the bundle has left (`documentBytesLeft`, the
 * collector's running budget): documents are parsed whole, media never come this way.
 */
export async function readDocument(
  source: AsyncIterable<Buffer | string>,
  limits: BundleLimits,
  pointer: string,
  documentBytesLeft = Number.POSITIVE_INFINITY,
): Promise<Buffer> {
  const limit = Math.min(limits.maxDocumentBytes, limits.maxBundleBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit) throw tooLarge(limits, size, pointer);
    if (size > documentBytesLeft) throw documentsTooLarge(pointer, limits);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

/** Refuses a request up front when its declared length is already over the bundle limit. */
export function checkDeclaredLength(contentLength: string | undefined, limits: BundleLimits): void {
  const declared = contentLength === undefined ? Number.NaN : Number(contentLength);
  if (Number.isFinite(declared) && declared > limits.maxBundleBytes) {
    throw new TriageError('TRIAGE_BUNDLE_TOO_LARGE', `the body is over ${limits.maxBundleBytes} bytes`, {
      pointer: '/headers/content-length',
      details: { size: declared },
    });
  }
}

/** The content types `POST /v1/bundles` takes, by the wire format they carry. */
export function bundleFormatOf(contentType: string | undefined): BundleFormat | null {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/xml' || mediaType === 'text/xml') return 'xml';
  if (mediaType === 'application/zip') return 'zip';
  if (mediaType === 'multipart/form-data') return 'multipart';
  return null;
}
