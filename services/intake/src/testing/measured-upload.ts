// Test support: one upload through intake's live socket, measured as issue 11's hostile-input
// table reports it: status, problem code, time to the answer, bytes the process wrote meanwhile
// (spool and staging; /proc/<pid>/io wchar) and the process's peak resident set.
import { readFile } from 'node:fs/promises';
import { peakRssOf } from '@triage/testkit';

export interface MeasuredUpload {
  readonly status: number;
  readonly code: string | null;
  readonly ms: number;
  /** Bytes the intake process wrote to files while the request ran: the spooled body and staged media (sockets not counted). */
  readonly writtenBytes: number;
  readonly peakRssBytes: number;
}

/**
 * Bytes the process has written to files so far (`write_bytes` of /proc/<pid>/io, Linux: counted
 * when a page is dirtied, so a file removed before it reaches the disk still counts).
 */
async function writtenBytesOf(pid: number): Promise<number> {
  const io = await readFile(`/proc/${pid}/io`, 'utf8');
  const match = /^write_bytes:\s+(\d+)$/m.exec(io);
  if (!match) throw new Error(`no write_bytes in /proc/${pid}/io`);
  return Number(match[1]);
}

/** POSTs `body` to `<url>/v1/bundles` with the partner key and measures the answer. */
export async function measuredUpload(options: {
  url: string;
  key: string;
  pid: number;
  body: Buffer;
  contentType?: string;
}): Promise<MeasuredUpload> {
  const before = await writtenBytesOf(options.pid);
  const started = performance.now();
  const response = await fetch(`${options.url}/v1/bundles`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.key}`,
      'content-type': options.contentType ?? 'application/zip',
    },
    body: new Uint8Array(options.body),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let code: string | null = null;
  try {
    code = (JSON.parse(text) as { code?: string }).code ?? null;
  } catch {
    code = null;
  }
  return {
    status: response.status,
    code,
    ms,
    writtenBytes: (await writtenBytesOf(options.pid)) - before,
    peakRssBytes: await peakRssOf(options.pid),
  };
}
