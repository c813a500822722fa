// The deployable as an operator runs it: main.ts in its own process on a real port, real
// HTTP (chunked uploads included), its log lines, and SIGTERM.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { sampleValue } from '@triage/metrics/testing';
import { createCodec } from '@triage/schemas';
import { expect } from 'vitest';
import { jsonBundle, minimalReport } from './testing/intake-harness.ts';
import { type IntakeProcess, startIntakeProcess } from './testing/intake-process.ts';

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

kafkaTest(
  'given main.ts, then it serves bundles over HTTP, refuses an oversized chunked upload, logs one line per request and stops on SIGTERM',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
    const root = await mkdtemp(path.join(tmpdir(), 'intake-main-'));
    let intake: IntakeProcess | undefined;
    try {
      intake = await startIntakeProcess({
        connection: kafka.connection,
        root,
        partners: ['hotline-main'],
        rateLimit: { max: 100, timeWindow: 60_000 },
        env: { INTAKE_MAX_BUNDLE_BYTES: '200000', LOG_LEVEL: 'info' },
      });
      const key = intake.keys.get('hotline-main')!;
      const base = intake.url;
      const contentRoot = intake.contentRoot;

      const accepted = await fetch(`${base}/v1/bundles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: jsonBundle('main-ref-1', [
          minimalReport('700001', {
            personsReported: [{ screenName: 'suspect-screen-name', emails: ['suspect@example.com'] }],
          }),
        ]),
      });
      expect(accepted.status).toBe(202);
      // Plain HTTP (the default): the browser headers, but no HSTS (it would pin a port with no TLS).
      expect(accepted.headers.get('x-frame-options')).toBe('DENY');
      expect(accepted.headers.get('cache-control')).toBe('no-store');
      expect(accepted.headers.get('strict-transport-security')).toBeNull();
      const receipt = (await accepted.json()) as { bundleId: string };
      // Whether the store already held a file is not the partner's to know (the access log has it).
      expect(receipt).not.toHaveProperty('newFiles');
      // The key that authenticated the upload is on the bundle record: a leaked key's uploads can be listed.
      const [published] = await kafka.readTopic(pipelineTopics.bundles.name, 1, 30_000);
      expect(createCodec().decode('Bundle', published!.value!)).toMatchObject({
        bundleId: receipt.bundleId,
        keyId: 'k1',
      });
      const stored = await filesUnder(contentRoot);
      expect(stored).toHaveLength(1);

      // A chunked multipart upload (no Content-Length) over INTAKE_MAX_BUNDLE_BYTES: counted while read.
      const boundary = 'main-test-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      );
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(head);
          for (let chunk = 0; chunk < 30; chunk++) controller.enqueue(new Uint8Array(16_384).fill(chunk));
          controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
          controller.close();
        },
      });
      const refused = await fetch(`${base}/v1/bundles`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'idempotency-key': 'main-ref-2',
        },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(refused.status).toBe(413);
      expect(((await refused.json()) as { code: string }).code).toBe('TRIAGE_BUNDLE_TOO_LARGE');
      expect(await filesUnder(contentRoot)).toEqual(stored);

      expect(refused.headers.get('connection')).toBe('close');

      // The ops port: probes and metrics, none of them on the partners' port.
      const ops = intake.opsUrl!;
      expect(ops).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ops).not.toBe(base);
      expect((await fetch(`${ops}/healthz`)).status).toBe(200);
      // Readiness details for operators (the ops port) only; the partners' port says ready or not.
      const publicReady = await fetch(`${base}/readyz`);
      expect(publicReady.status).toBe(200);
      expect(await publicReady.json()).toEqual({ status: 'ready' });
      const ready = await fetch(`${ops}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { statusTable: true, kafka: true },
      });
      const status = await fetch(`${base}/v1/bundles/${receipt.bundleId}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(status.status).toBe(200);
      const metrics = await (await fetch(`${ops}/metrics`)).text();
      const count = (labels: Record<string, string>) =>
        sampleValue(metrics, 'triage_http_request_duration_seconds_count', { service: 'intake', ...labels });
      expect(count({ method: 'POST', route: '/v1/bundles', status: '202' })).toBe(1);
      expect(count({ method: 'POST', route: '/v1/bundles', status: '413' })).toBe(1);
      // By the route's pattern: the bundle id never becomes a label.
      expect(count({ method: 'GET', route: '/v1/bundles/:bundleId', status: '200' })).toBe(1);
      expect(metrics).not.toContain(receipt.bundleId);
      expect(sampleValue(metrics, 'process_resident_memory_bytes', { service: 'intake' })).toBeGreaterThan(0);
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
      // The refused upload's connection is closed with the answer, so the drain does not wait for
      // the keep-alive timeout (72 s) and exits within stop()'s default grace.
      expect(await intake.stop()).toBe(0);

      const output = intake.output();
      const lines = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const requests = lines.filter((line) => line.msg === 'request' && line.route === '/v1/bundles');
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({
        partnerId: 'hotline-main',
        keyId: 'k1',
        bundleId: receipt.bundleId,
        reports: 1,
        files: 0,
        newFiles: 0,
        status: 202,
        outcome: 'accepted',
      });
      expect(requests[1]).toMatchObject({
        partnerId: 'hotline-main',
        keyId: 'k1',
        status: 413,
        outcome: 'TRIAGE_BUNDLE_TOO_LARGE',
      });
      expect(output).not.toContain(key);
      expect(output).not.toContain('suspect@example.com');
      expect(output).not.toContain('suspect-screen-name');
      expect(output).toContain('SIGTERM');
    } finally {
      await intake?.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
);
