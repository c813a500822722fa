import { createReadStream, openAsBlob } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/** One package on disk as a partner would send it: a ZIP file, or a JSON or XML package folder. */
export interface PackageUpload {
  /** A `.zip` file, or a folder holding `bundle.json` or `report.xml` plus fileDetails and media. */
  readonly path: string;
  /** The partner's API key. */
  readonly apiKey: string;
  /** Sent as `Idempotency-Key` (XML packages need it; JSON manifests carry their own). */
  readonly bundleRef: string;
}

export interface UploadOutcome {
  /** HTTP status of the final answer. */
  readonly status: number;
  /** The receipt (2xx) or the RFC 9457 problem. */
  readonly body: Record<string, unknown>;
  /** Requests sent, counting retries after 408/429/503. */
  readonly attempts: number;
}

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
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await send(upload, url);
    } catch (error) {
      // The connection broke (intake restarting, or it refused mid-upload and closed): resending
      // is safe because a repeated bundle gets its original receipt.
      if (attempt > options.maxRetries)
        return { status: 0, body: connectionProblem(error), attempts: attempt };
      await sleep(Math.min(30, 2 ** attempt) * 1000);
      continue;
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    // 408: our upload stalled and intake kept nothing of it.
    const retryable = response.status === 408 || response.status === 429 || response.status === 503;
    if (!retryable || attempt > options.maxRetries)
      return { status: response.status, body, attempts: attempt };
    const retryAfterSeconds = Number(response.headers.get('retry-after') ?? '1');
    await sleep(Math.min(60, Math.max(1, Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 1)) * 1000);
  }
}

function connectionProblem(error: unknown): Record<string, unknown> {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return { code: 'CONNECTION_FAILED', detail: cause?.message ?? String(error), pointer: cause?.code ?? null };
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
