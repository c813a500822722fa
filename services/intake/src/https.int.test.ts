// Issue 11 (transport): intake as an operator runs it (main.ts in its own process) with
// INTAKE_TLS_CERT_FILE and INTAKE_TLS_KEY_FILE, a self-signed certificate made by the test: a
// bundle taken over a real TLS handshake that trusts only that certificate, every answer (the
// receipt, the status, a refusal) with HSTS and the browser headers, plain HTTP on the same port
// answered by nothing, the ops port still plain on localhost; and a bad key stopping the start.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { securityHeaders } from '@triage/http-security';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { legacyHandshake, makeZip, selfSignedCertificate, syntheticImage, tlsRequest } from '@triage/testkit';
import { expect } from 'vitest';
import { bytesUnder } from './testing/hostile-upload.ts';
import { jsonBundle, minimalReport } from './testing/intake-harness.ts';
import { type IntakeProcess, startIntakeProcess } from './testing/intake-process.ts';

kafkaTest(
  'given a certificate and key, then main.ts takes bundles over HTTPS only, every answer with HSTS and the browser headers',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
    const root = await mkdtemp(path.join(tmpdir(), 'intake-https-'));
    let intake: IntakeProcess | undefined;
    try {
      const certificate = await selfSignedCertificate(root);
      intake = await startIntakeProcess({
        connection: kafka.connection,
        root,
        partners: ['hotline-tls'],
        tls: certificate,
        env: { LOG_LEVEL: 'info' },
      });
      expect(intake.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = certificate.cert;
      // Every default of a TLS port: HSTS, the API's CSP, nosniff, DENY, no-referrer, COOP/CORP, no-store.
      const expected = securityHeaders({ tls: true });
      const authorization = `Bearer ${intake.keys.get('hotline-tls')!}`;

      // A ZIP package with a synthetic image: the streamed body and the staging path under TLS.
      const zipWith = (ref: string, reportId: string, image: Buffer) =>
        makeZip([
          {
            name: 'bundle.json',
            data: jsonBundle(ref, [minimalReport(reportId, { files: [{ fileId: 'f', name: 'a.png' }] })]),
          },
          { name: 'a.png', data: image },
        ]);
      const accepted = await tlsRequest(`${intake.url}/v1/bundles`, {
        ca,
        method: 'POST',
        headers: { authorization, 'content-type': 'application/zip' },
        body: await zipWith('tls-ref-1', '710001', await syntheticImage(31)),
      });
      expect(accepted.status).toBe(202);
      expect(JSON.parse(accepted.body.toString())).toMatchObject({ files: 1 });
      const stored = await bytesUnder(intake.contentRoot);
      expect(stored).toBeGreaterThan(0);
      expect(accepted.protocol).toMatch(/^TLSv1\.[23]$/);
      expect(accepted.headers).toMatchObject(expected);
      const { bundleId } = JSON.parse(accepted.body.toString()) as { bundleId: string };

      const status = await tlsRequest(`${intake.url}/v1/bundles/${bundleId}`, {
        ca,
        headers: { authorization },
      });
      expect(status.status).toBe(200);
      expect(status.headers).toMatchObject(expected);

      // A refusal (a problem document) is an answer like any other.
      const refused = await tlsRequest(`${intake.url}/v1/bundles/${bundleId}`, { ca });
      expect(refused.status).toBe(401);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.headers).toMatchObject(expected);

      // Plain HTTP to the TLS port: the handshake fails, nothing is answered, no bundle is read.
      const started = performance.now();
      const plain = await fetch(`${intake.url.replace('https:', 'http:')}/v1/bundles`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/zip' },
        body: await zipWith('tls-ref-2', '710002', await syntheticImage(32)),
      }).catch((error: unknown) => error);
      expect(plain).toBeInstanceOf(TypeError);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(await bytesUnder(intake.contentRoot, intake.spoolDir)).toBe(stored);

      // A client that offers TLS 1.1 at most is refused in the handshake.
      const port = Number(new URL(intake.url).port);
      expect(await legacyHandshake({ host: '127.0.0.1', port, ca })).toBe(
        'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
      );

      // The ops port stays plain HTTP on localhost (probes and metrics, never the partners').
      const ops = intake.opsUrl!;
      expect(ops).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${ops}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`${ops}/metrics`)).text();
      // One bundle accepted over TLS; the plain-HTTP attempt never reached a route.
      expect(metrics).toMatch(
        /triage_http_request_duration_seconds_count\{[^}]*route="\/v1\/bundles"[^}]*status="202"[^}]*\} 1/,
      );
      expect(metrics).not.toMatch(/route="\/v1\/bundles"[^}]*status="(4|5)\d\d"/);
      expect(await intake.stop()).toBe(0);
    } finally {
      await intake?.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
);

kafkaTest(
  'given a key file that holds no key, then main.ts stops before it listens, naming INTAKE_TLS_KEY_FILE',
  async ({ kafka }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'intake-https-bad-'));
    try {
      const certificate = await selfSignedCertificate(root);
      const keyFile = path.join(root, 'not-a-key.pem');
      await writeFile(keyFile, 'not a key\n', { mode: 0o600 });
      const started = startIntakeProcess({
        connection: kafka.connection,
        root,
        tls: { ...certificate, keyFile },
      });
      await expect(started).rejects.toThrow(
        /intake exited \(1\) before it was ready:[\s\S]*invalid configuration: INTAKE_TLS_KEY_FILE: .*not-a-key\.pem is not an unencrypted PEM private key/,
      );
      await expect(started).rejects.toThrow(/TRIAGE_CONFIG_INVALID/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
);
