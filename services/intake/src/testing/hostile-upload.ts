// Test support for the hostile-input table: uploads sent on a plain socket (chunked, at the
// caller's pace) to an intake process, timed until intake answers or drops the connection, and
// the bytes the upload left on intake's disks.
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';

export interface HostileAnswer {
  /** HTTP status, or 0 when the connection ended without an answer (a crashed process). */
  readonly status: number;
  /** The problem's code, when there is one. */
  readonly code: string | undefined;
  /** From the first byte sent to the answer (or the connection's end). */
  readonly ms: number;
}

export interface HostileUpload {
  readonly url: string;
  readonly key: string;
  readonly contentType: string;
  readonly headers?: Record<string, string>;
  /** The body, chunk by chunk; awaited between chunks, so a generator can pace it. */
  readonly body: AsyncIterable<Buffer>;
  /** Called once the head is written (a test sends SIGTERM then). */
  readonly onStarted?: () => void;
}

/** Sends `POST /v1/bundles` with a chunked body until intake answers or closes the connection. */
export async function sendHostileUpload(upload: HostileUpload): Promise<HostileAnswer> {
  const { hostname, port } = new URL(upload.url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  const received: Buffer[] = [];
  let answered = false;
  const started = performance.now();
  let answeredAt = 0;
  socket.on('data', (chunk: Buffer) => {
    received.push(chunk);
    if (!answered) answeredAt = performance.now();
    answered = true;
  });
  socket.on('error', () => undefined);
  const closed = once(socket, 'close').then(
    () => performance.now(),
    () => performance.now(),
  );
  const extra = Object.entries(upload.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(
    `POST /v1/bundles HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${upload.key}\r\n` +
      `Content-Type: ${upload.contentType}\r\nTransfer-Encoding: chunked\r\n${extra}\r\n`,
  );
  upload.onStarted?.();
  for await (const chunk of upload.body) {
    if (answered || socket.destroyed) break;
    socket.write(`${chunk.length.toString(16)}\r\n`);
    socket.write(chunk);
    // A reset while sending is an answer too (a crashed process): the loop ends on `destroyed`.
    if (!socket.write('\r\n')) await Promise.race([once(socket, 'drain').catch(() => undefined), closed]);
  }
  if (!answered && !socket.destroyed) socket.write('0\r\n\r\n');
  // The answer, or the connection's end; then our side closes.
  for (;;) {
    const text = Buffer.concat(received).toString('latin1');
    const head = text.indexOf('\r\n\r\n');
    const length = /content-length: (\d+)/i.exec(text.slice(0, Math.max(head, 0)))?.[1];
    if (head >= 0 && length !== undefined && text.length >= head + 4 + Number(length)) break;
    if (socket.destroyed || socket.readableEnded) break;
    await Promise.race([once(socket, 'data').catch(() => undefined), closed]);
  }
  const endedAt = answered ? answeredAt : await closed;
  socket.destroy();
  const text = Buffer.concat(received).toString('utf8');
  const head = text.indexOf('\r\n\r\n');
  const status = text.startsWith('HTTP/1.1 ') ? Number(text.slice(9, 12)) : 0;
  let code: string | undefined;
  try {
    code = (JSON.parse(text.slice(head + 4)) as { code?: string }).code;
  } catch {
    code = undefined;
  }
  return { status, code, ms: Math.round(endedAt - started) };
}

/** Bytes of every file under the folders (staged media, spooled ZIPs, stored media). */
export async function bytesUnder(...folders: string[]): Promise<number> {
  let total = 0;
  for (const folder of folders) {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      total += (await stat(path.join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
    }
  }
  return total;
}

const boundary = '----triage-hostile-boundary-51c2';

export const hostileMultipartType = `multipart/form-data; boundary=${boundary}`;

/** One multipart part's head; its data and `\r\n` follow. */
export function partHead(name: string, filename: string, contentType: string): Buffer {
  return Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  );
}

export const multipartEnd = Buffer.from(`--${boundary}--\r\n`);
