import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

const spoolPrefix = 'bundle-';

/** Spools a ZIP body to a temp file (ZIP's directory is at its end), refusing it past maxBundleBytes. */
export async function spoolToFile(
  source: NodeJS.ReadableStream,
  spoolDir: string,
  limits: BundleLimits,
): Promise<{ file: string; size: number; remove: () => Promise<void> }> {
  await mkdir(spoolDir, { recursive: true });
  const file = path.join(spoolDir, `${spoolPrefix}${randomUUID()}.zip`);
  const remove = () => rm(file, { force: true });
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limits.maxBundleBytes) {
        done(
          new TriageError('TRIAGE_BUNDLE_TOO_LARGE', `the body is over ${limits.maxBundleBytes} bytes`, {
            pointer: '/body',
            details: { size },
          }),
        );
        return;
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, counter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { file, size, remove };
}

/**
 * Removes spooled ZIPs that a killed process left behind: older than `olderThanMs` by their last
 * write, so an upload still being spooled by another instance sharing the folder is kept.
 * Returns how many it removed.
 */
export async function sweepSpool(spoolDir: string, olderThanMs: number): Promise<number> {
  const names = await readdir(spoolDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(spoolPrefix)) continue;
    const file = path.join(spoolDir, name);
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile() || info.mtimeMs >= cutoff) continue;
    await rm(file, { force: true });
    removed += 1;
  }
  return removed;
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
