import { createReadStream, openAsBlob } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type SendOutcome, sendWithRetries } from './send-with-retries.ts';

/** One package on disk as a partner would send it: a ZIP file, or a JSON or XML package folder. */
export interface PackageUpload {
  /** A `.zip` file, or a folder holding `bundle.json` or `report.xml` plus fileDetails and media. */
  readonly path: string;
  /** The partner's API key. */
  readonly apiKey: string;
  /** Sent as `Idempotency-Key` (XML packages need it; JSON manifests carry their own). */
  readonly bundleRef: string;
}

export type UploadOutcome = SendOutcome;

export interface UploadOptions {
  readonly intakeUrl: string;
  /** How many 408/429/503 answers to wait out (their Retry-After) before giving up. */
  readonly maxRetries: number;
}

/**
 * Sends one package to intake's `POST /v1/bundles`, as a well-behaved partner does: a ZIP as
 * `application/zip`, a folder as multipart (manifest, fileDetails, files streamed from disk), and
 * a 408, 429 or 503 answered by waiting its Retry-After and sending the same bundle again (intake
 * answers a repeat with the original receipt, so a retry never duplicates).
 */
export async function uploadPackage(upload: PackageUpload, options: UploadOptions): Promise<UploadOutcome> {
  const url = new URL('/v1/bundles', options.intakeUrl);
  // A broken connection (intake restarting, or it refused mid-upload and closed) is resent: a
  // repeated bundle gets its original receipt.
  return sendWithRetries(() => send(upload, url), options.maxRetries);
}

async function send(upload: PackageUpload, url: URL): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${upload.apiKey}`,
    'idempotency-key': upload.bundleRef,
  };
  if ((await stat(upload.path)).isFile()) {
    return fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/zip' },
      body: Readable.toWeb(createReadStream(upload.path)) as ReadableStream<Uint8Array>,
      // Node's fetch streams a request body only in half-duplex mode.
      duplex: 'half',
    } as RequestInit);
  }
  return fetch(url, { method: 'POST', headers, body: await packageForm(upload.path) });
}

/** A package folder as multipart parts; file parts are Blobs backed by the files, read as sent. */
async function packageForm(folder: string): Promise<FormData> {
  const form = new FormData();
  const entries = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  for (const name of entries) {
    const full = path.join(folder, name);
    if (name === 'bundle.json') {
      form.append('manifest', await openAsBlob(full, { type: 'application/json' }), name);
    } else if (name === 'report.xml') {
      form.append('manifest', await openAsBlob(full, { type: 'application/xml' }), name);
    } else if (/^fileDetails[^/]*\.xml$/.test(name)) {
      form.append('fileDetails', await openAsBlob(full, { type: 'application/xml' }), name);
    } else {
      form.append('file', await openAsBlob(full, { type: 'application/octet-stream' }), name);
    }
  }
  return form;
}
