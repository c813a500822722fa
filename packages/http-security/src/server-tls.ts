// The certificate and key of a service's HTTPS, read and checked once at start: a missing,
// unreadable or mismatched file stops the start with a message naming its variable, instead of a
// server that listens and then fails every handshake.
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureVersion } from 'node:tls';
import { TriageError } from '@triage/errors';
import type { TlsFiles } from './tls-env.ts';

/** Older versions are broken or deprecated (RFC 8996); every supported client speaks 1.2. */
export const minTlsVersion: SecureVersion = 'TLSv1.2';

/** Fastify's `https` option: the PEM bytes and the oldest version served. */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
  minVersion: SecureVersion;
}

function invalid(variable: string, message: string, cause?: unknown): TriageError {
  return new TriageError('TRIAGE_CONFIG_INVALID', `invalid configuration: ${variable}: ${message}`, {
    details: { variables: [variable] },
    ...(cause === undefined ? {} : { cause }),
  });
}

async function readPem(file: string, variable: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw invalid(variable, `cannot read ${file} (${code})`, error);
  }
}

/** OpenSSL's reason, without its numeric prefix (`error:0480006C:PEM routines::no start line`). */
const reasonOf = (error: unknown) => String((error as Error).message).replace(/^error:[0-9A-F]+:/, '');

function check(variable: string, what: string, build: () => void): void {
  try {
    build();
  } catch (error) {
    throw invalid(variable, `${what} (${reasonOf(error)})`, error);
  }
}

/**
 * Reads the certificate and key and proves they make a TLS context, each fault named by its
 * variable: `TRIAGE_CONFIG_INVALID` as for any other bad setting. Throws, never returns half.
 */
export async function readServerTls(files: TlsFiles): Promise<ServerTls> {
  const cert = await readPem(files.certFile, files.certVariable);
  const key = await readPem(files.keyFile, files.keyVariable);
  check(files.certVariable, `${files.certFile} is not a PEM certificate`, () =>
    createSecureContext({ cert }),
  );
  check(files.keyVariable, `${files.keyFile} is not an unencrypted PEM private key`, () =>
    createSecureContext({ key, passphrase: '' }),
  );
  check(files.keyVariable, `${files.keyFile} is not the key of ${files.certVariable}`, () =>
    createSecureContext({ cert, key, minVersion: minTlsVersion }),
  );
  return { cert, key, minVersion: minTlsVersion };
}

/**
 * Fastify's `https` option for `tls`, or nothing (plain HTTP). Typed as nothing: the app keeps
 * Fastify's http.Server typing, whose listen/close/address the https.Server shares, so one
 * `buildApp` serves both without a type parameter threaded through every route.
 */
export function httpsOption(tls: ServerTls | undefined): object {
  return tls === undefined ? {} : { https: tls };
}
