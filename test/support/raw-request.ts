// A request written on a plain socket, so a test can declare a body it never sends (a huge
// Content-Length) or send one far larger than any limit, and see when the service answers: the
// bytes it had taken by then bound what it read.
import { once } from 'node:events';
import { connect } from 'node:net';

export interface RawRequest {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  /** The body's chunks, written one by one until the service answers (or closes); framed when `transfer-encoding: chunked`. */
  readonly body: Iterable<Buffer>;
  /** Write the body's bytes as they are, even under `transfer-encoding: chunked` (broken framing). */
  readonly unframed?: boolean;
  /** Give up after this long without an answer. Default 10 s. */
  readonly timeoutMs?: number;
}

export interface RawAnswer {
  /** HTTP status, 0 when the connection ended without one. */
  readonly status: number;
  readonly code: string | undefined;
  /** Body bytes written before the answer arrived (what the service can have read, at most). */
  readonly bytesSent: number;
  readonly ms: number;
}

/** Writes the head and then the body chunk by chunk, stopping once an answer arrives. */
export async function rawRequest(request: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(request.url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.on('error', () => undefined);
  const received: Buffer[] = [];
  const answered = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      const text = Buffer.concat(received).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text.slice(0, Math.max(head, 0)))?.[1];
      if (head >= 0 && length !== undefined && text.length >= head + 4 + Number(length)) resolve();
    });
    socket.on('close', () => resolve());
  });
  let done = false;
  void answered.then(() => {
    done = true;
  });
  const started = performance.now();
  const head = Object.entries({ host: hostname, ...request.headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`${request.method} ${request.path} HTTP/1.1\r\n${head}\r\n`);
  const chunked = request.headers['transfer-encoding'] === 'chunked' && request.unframed !== true;
  let bytesSent = 0;
  for (const chunk of request.body) {
    if (done || socket.destroyed) break;
    bytesSent += chunk.length;
    const framed = chunked
      ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
      : chunk;
    if (!socket.write(framed)) {
      await Promise.race([once(socket, 'drain').catch(() => undefined), answered]);
    }
  }
  if (chunked && !done && !socket.destroyed) socket.write('0\r\n\r\n');
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, request.timeoutMs ?? 10_000).unref());
  await Promise.race([answered, timeout]);
  const ms = Math.round(performance.now() - started);
  socket.destroy();
  const text = Buffer.concat(received).toString('utf8');
  const status = text.startsWith('HTTP/1.1 ') ? Number(text.slice(9, 12)) : 0;
  let code: string | undefined;
  try {
    code = (JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { code?: string }).code;
  } catch {
    code = undefined;
  }
  return { status, code, bytesSent, ms };
}

/** `count` chunks of `size` bytes of `fill`: a body sent until the service stops it. */
export function* repeatedChunks(count: number, size: number, fill = 0x5a): Generator<Buffer> {
  const chunk = Buffer.alloc(size, fill);
  for (let index = 0; index < count; index++) yield chunk;
}
