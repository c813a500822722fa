// Issue 11 (transport): the triage API as an operator runs it (main.ts in its own process) with
// TRIAGE_API_TLS_CERT_FILE and TRIAGE_API_TLS_KEY_FILE, a self-signed certificate made by the test:
// case data and the console's shell over a real TLS handshake that trusts only that certificate,
// each with HSTS and the browser headers (the console keeps its own policy), plain HTTP on the
// same port answered by nothing, the ops port still plain on localhost; and a missing key
// stopping the start.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { securityHeaders } from '@triage/http-security';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createSearchClient, indexPrefix } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { selfSignedCertificate, tlsRequest } from '@triage/testkit';
import { expect } from 'vitest';
import { consoleContentSecurityPolicy } from './console/console-bundle.ts';
import { startTriageApiProcess, type TriageApiProcess } from './testing/api-process.ts';
import { seedCases } from './testing/read-fixtures.ts';

kafkaTest(
  'given a certificate and key, then main.ts serves case data and the console over HTTPS only, with HSTS and the browser headers',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.audit, pipelineTopics.triageActions]);
    const prefix = indexPrefix(kafka.connection.topicPrefix ?? '');
    const client = createSearchClient({ url: elasticsearchUrl });
    const dir = await mkdtemp(path.join(tmpdir(), 'triage-api-https-'));
    let api: TriageApiProcess | undefined;
    try {
      await seedCases(client, prefix, []);
      const certificate = await selfSignedCertificate(dir);
      // A console bundle of the test's own (the browser test serves the real build).
      const consoleDir = path.join(dir, 'console');
      await mkdir(path.join(consoleDir, 'assets'), { recursive: true });
      await writeFile(path.join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
      await writeFile(path.join(consoleDir, 'assets', 'main-ABC123.js'), 'console.info("console");');
      api = await startTriageApiProcess({
        connection: kafka.connection,
        elasticsearchUrl,
        authDir: path.join(dir, 'auth'),
        tls: certificate,
        env: {
          LOG_LEVEL: 'info',
          CONTENT_STORE_ROOT: path.join(dir, 'content'),
          TRIAGE_API_CONSOLE_DIR: consoleDir,
        },
      });
      expect(api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = certificate.cert;
      const expected = securityHeaders({ tls: true });

      const queue = await tlsRequest(`${api.url}/v1/cases`, {
        ca,
        headers: { authorization: await api.bearer('analyst') },
      });
      expect(queue.status).toBe(200);
      expect(queue.protocol).toMatch(/^TLSv1\.[23]$/);
      expect(queue.headers).toMatchObject(expected);
      expect(expected['cache-control']).toBe('no-store');

      const refused = await tlsRequest(`${api.url}/v1/cases`, { ca });
      expect(refused.status).toBe(401);
      expect(refused.headers).toMatchObject(expected);

      // The console keeps its own policy (scripts, styles and images from this origin) and its
      // assets their year-long cache; every other header is the same.
      const shell = await tlsRequest(`${api.url}/login`, { ca });
      expect(shell.status).toBe(200);
      expect(shell.headers).toMatchObject({
        ...expected,
        'content-security-policy': consoleContentSecurityPolicy,
      });
      const asset = await tlsRequest(`${api.url}/assets/main-ABC123.js`, { ca });
      expect(asset.status).toBe(200);
      expect(asset.headers).toMatchObject({
        ...expected,
        'content-security-policy': consoleContentSecurityPolicy,
        'cache-control': 'public, max-age=31536000, immutable',
      });

      const plain = await fetch(`${api.url.replace('https:', 'http:')}/v1/cases`).catch(
        (error: unknown) => error,
      );
      expect(plain).toBeInstanceOf(TypeError);

      const ops = api.opsUrl!;
      expect(ops).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${ops}/readyz`)).status).toBe(200);
      expect(await api.stop()).toBe(0);
    } finally {
      await api?.stop();
      await deletePrefixedIndices(client, prefix);
      await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);

kafkaTest(
  'given a key file that does not exist, then main.ts stops before it listens, naming TRIAGE_API_TLS_KEY_FILE',
  async ({ kafka }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'triage-api-https-bad-'));
    try {
      const certificate = await selfSignedCertificate(dir);
      const started = startTriageApiProcess({
        connection: kafka.connection,
        elasticsearchUrl,
        authDir: path.join(dir, 'auth'),
        tls: { ...certificate, keyFile: path.join(dir, 'absent-key.pem') },
      });
      await expect(started).rejects.toThrow(
        /triage-api exited \(1\) before it was ready:[\s\S]*invalid configuration: TRIAGE_API_TLS_KEY_FILE: cannot read .*absent-key\.pem \(ENOENT\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
