// HTTPS in tests: a self-signed certificate made on the spot (the machine's openssl; Node's crypto
// makes keys but not X.509 certificates), and requests that trust only that certificate.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import path from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** The certificate's PEM: the one CA a client of the test trusts. */
  cert: string;
}

/**
 * A P-256 key and a one-day self-signed certificate for `localhost` and 127.0.0.1, written to
 * `dir` as cert.pem and key.pem (0600).
 */
export async function selfSignedCertificate(dir: string): Promise<TestCertificate> {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { certFile, keyFile, cert: await readFile(certFile, 'utf8') };
}

export interface TlsResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The negotiated protocol (`TLSv1.3`). */
  protocol: string | null;
}

export interface TlsRequestOptions {
  /** The only certificate authority trusted (the test's self-signed certificate). */
  ca: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTPS request that trusts `ca` alone (never the system's roots), read whole. */
export function tlsRequest(url: string, options: TlsRequestOptions): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ca: options.ca, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            protocol: (response.socket as TLSSocket).getProtocol?.() ?? null,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

export interface LegacyHandshakeOptions {
  host: string;
  port: number;
  ca: string;
}

/**
 * Offers TLS 1.0-1.1 only (its own security level lowered, so the offer is really made) and
 * resolves with the error code the server's refusal gave, or null if the server accepted it.
 */
export function legacyHandshake(options: LegacyHandshakeOptions): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({
      ...options,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code ?? error.message);
    });
  });
}
