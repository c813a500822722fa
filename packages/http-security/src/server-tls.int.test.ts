// Issue 11 (transport): a certificate and key made on disk by the test, read and checked the way a
// service's main.ts does, then a Fastify app with the headers on a live TLS socket (port 0): a
// real handshake that trusts only that certificate, TLS 1.1 and plain HTTP refused, and every
// fault of the files stopping the start with its variable named.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { legacyHandshake, selfSignedCertificate, type TestCertificate, tlsRequest } from '@triage/testkit';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSecurityHeaders } from './security-headers.ts';
import { httpsOption, readServerTls } from './server-tls.ts';
import type { TlsFiles } from './tls-env.ts';

let dir: string;
let made: TestCertificate;
let other: TestCertificate;

const filesOf = (certFile: string, keyFile: string): TlsFiles => ({
  certFile,
  keyFile,
  certVariable: 'TEST_TLS_CERT_FILE',
  keyVariable: 'TEST_TLS_KEY_FILE',
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'http-security-'));
  made = await selfSignedCertificate(dir);
  const otherDir = path.join(dir, 'other');
  await import('node:fs/promises').then((fs) => fs.mkdir(otherDir));
  other = await selfSignedCertificate(otherDir);
  await writeFile(path.join(dir, 'garbage.pem'), 'not a pem file\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readServerTls', () => {
  it('given a matching certificate and key, then their bytes and TLS 1.2 as the floor', async () => {
    const tls = await readServerTls(filesOf(made.certFile, made.keyFile));
    expect(tls.cert.toString()).toBe(made.cert);
    expect(tls.key.toString()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(tls.minVersion).toBe('TLSv1.2');
  });

  const faults: [string, () => TlsFiles, RegExp][] = [
    [
      'a missing key file',
      () => filesOf(made.certFile, path.join(dir, 'absent.pem')),
      /^invalid configuration: TEST_TLS_KEY_FILE: cannot read .*absent\.pem \(ENOENT\)$/,
    ],
    [
      'an unreadable certificate (a folder)',
      () => filesOf(dir, made.keyFile),
      /^invalid configuration: TEST_TLS_CERT_FILE: cannot read .* \(EISDIR\)$/,
    ],
    [
      'a key file that holds no key',
      () => filesOf(made.certFile, path.join(dir, 'garbage.pem')),
      /^invalid configuration: TEST_TLS_KEY_FILE: .*garbage\.pem is not an unencrypted PEM private key \(/,
    ],
    [
      'the certificate given as the key',
      () => filesOf(made.certFile, made.certFile),
      /^invalid configuration: TEST_TLS_KEY_FILE: .*cert\.pem is not an unencrypted PEM private key/,
    ],
    [
      'a certificate file that holds no certificate',
      () => filesOf(path.join(dir, 'garbage.pem'), made.keyFile),
      /^invalid configuration: TEST_TLS_CERT_FILE: .*garbage\.pem is not a PEM certificate \(PEM routines::no start line\)$/,
    ],
    [
      "another certificate's key",
      () => filesOf(made.certFile, other.keyFile),
      /^invalid configuration: TEST_TLS_KEY_FILE: .*other\/key\.pem is not the key of TEST_TLS_CERT_FILE \(x509 certificate routines::key values mismatch\)$/,
    ],
  ];
  for (const [fault, files, message] of faults) {
    it(`given ${fault}, then TRIAGE_CONFIG_INVALID naming the variable`, async () => {
      const refused = await readServerTls(files()).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'TRIAGE_CONFIG_INVALID' });
      expect((refused as Error).message).toMatch(message);
    });
  }
});

describe('a Fastify app on a live TLS socket', () => {
  let app: ReturnType<typeof Fastify>;
  let port: number;

  beforeAll(async () => {
    app = Fastify(httpsOption(await readServerTls(filesOf(made.certFile, made.keyFile))));
    await app.register(browserSecurityHeaders, { tls: true });
    app.get('/data', async () => ({ report: 'invented' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('given a client that trusts the certificate, then the answer over TLS 1.2+ with HSTS and the browser headers', async () => {
    const response = await tlsRequest(`https://127.0.0.1:${port}/data`, { ca: made.cert });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({ report: 'invented' });
    expect(response.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('given a client that trusts another certificate, then the handshake fails (the key really is served)', async () => {
    await expect(tlsRequest(`https://127.0.0.1:${port}/data`, { ca: other.cert })).rejects.toThrow(
      /self-signed certificate|unable to verify/,
    );
  });

  it('given plain HTTP to the TLS port, then no answer at all', async () => {
    await expect(fetch(`http://127.0.0.1:${port}/data`)).rejects.toThrow();
  });

  it('given a client that offers TLS 1.1 at most, then the server refuses the handshake', async () => {
    const refusal = await legacyHandshake({ host: '127.0.0.1', port, ca: made.cert });
    // The refusal is the server's: its minVersion, and OpenSSL 3's default security level too.
    expect(refusal).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });
});
