// Test support: uploads written byte by byte on a plain socket, so a test can stop half-way (a
// stalled partner, a process killed mid-upload), which fetch() and inject() cannot do.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { syntheticImage } from '@triage/testkit';
import { jsonBundle, minimalReport, multipartBody } from './intake-harness.ts';

/** Opens `POST /v1/bundles` on `url` and writes the request head; the body is the caller's to write. */
export async function openUpload(
  url: string,
  key: string,
  contentType: string,
  contentLength: number,
): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write(
    `POST /v1/bundles HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${key}\r\n` +
      `Content-Type: ${contentType}\r\nContent-Length: ${contentLength}\r\n\r\n`,
  );
  return socket;
}

export interface TwoImageUpload {
  readonly payload: Buffer;
  readonly contentType: string;
  /** Where the second image starts in `payload`: sending less leaves it half-way. */
  readonly secondAt: number;
  readonly secondLength: number;
}

/** A multipart JSON bundle of one report with two synthetic images, `a.png` then `b.png`. */
export async function twoImageUpload(
  bundleRef: string,
  reportId: string,
  seed: number,
): Promise<TwoImageUpload> {
  const first = await syntheticImage(seed, 64, 48);
  const second = await syntheticImage(seed + 1, 64, 48);
  const manifest = jsonBundle(bundleRef, [
    minimalReport(reportId, {
      files: [
        { fileId: 'f-1', name: 'a.png' },
        { fileId: 'f-2', name: 'b.png' },
      ],
    }),
  ]);
  const form = multipartBody([
    { name: 'manifest', filename: 'bundle.json', contentType: 'application/json', data: manifest },
    { name: 'file', filename: 'a.png', contentType: 'image/png', data: first },
    { name: 'file', filename: 'b.png', contentType: 'image/png', data: second },
  ]);
  return {
    payload: form.payload,
    contentType: form.contentType,
    secondAt: form.payload.indexOf(second),
    secondLength: second.length,
  };
}
