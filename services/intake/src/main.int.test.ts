// The deployable as an operator runs it: main.ts in its own process on a real port, real
// HTTP (chunked uploads included), its log lines, and SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/testkit/fixtures';
import { expect } from 'vitest';
import { createPartnerKey } from './partners/partner-keys.ts';
import { writePartnersFile } from './partners/partners-file.ts';
import { jsonBundle, minimalReport } from './testing/intake-harness.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

kafkaTest(
  'given main.ts, then it serves bundles over HTTP, refuses an oversized chunked upload, logs one line per request and stops on SIGTERM',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
    const root = await mkdtemp(path.join(tmpdir(), 'intake-main-'));
    let child: ChildProcess | undefined;
    try {
      const { key, sha256 } = createPartnerKey();
      const partnersFile = path.join(root, 'partners.json');
      await writePartnersFile(partnersFile, {
        partners: [
          {
            partnerId: 'hotline-main',
            keys: [{ id: 'k1', sha256 }],
            rateLimit: { max: 100, timeWindow: 60_000 },
          },
        ],
      });
      const port = await freePort();
      const contentRoot = path.join(root, 'content');
      child = spawn(process.execPath, [main], {
        env: {
          ...process.env,
          KAFKA_BROKERS: kafka.connection.brokers.join(','),
          KAFKA_CLIENT_ID: kafka.connection.clientId,
          KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix,
          INTAKE_PORT: String(port),
          INTAKE_PARTNERS_FILE: partnersFile,
          INTAKE_SPOOL_DIR: path.join(root, 'spool'),
          CONTENT_STORE_ROOT: contentRoot,
          INTAKE_MAX_BUNDLE_BYTES: '200000',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const base = `http://127.0.0.1:${port}`;
      let ready = false;
      for (let waited = 0; !ready && waited < 60_000; waited += 250) {
        ready = await fetch(`${base}/readyz`).then(
          (response) => response.status === 200,
          () => false,
        );
        if (!ready) await sleep(250);
      }
      expect(ready).toBe(true);

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
      const receipt = (await accepted.json()) as { bundleId: string };
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

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);

      const lines = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const requests = lines.filter((line) => line.msg === 'request' && line.route === '/v1/bundles');
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({
        partnerId: 'hotline-main',
        bundleId: receipt.bundleId,
        reports: 1,
        files: 0,
        status: 202,
        outcome: 'accepted',
      });
      expect(requests[1]).toMatchObject({
        partnerId: 'hotline-main',
        status: 413,
        outcome: 'TRIAGE_BUNDLE_TOO_LARGE',
      });
      expect(output).not.toContain(key);
      expect(output).not.toContain('suspect@example.com');
      expect(output).not.toContain('suspect-screen-name');
      expect(output).toContain('SIGTERM');
    } finally {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      await rm(root, { recursive: true, force: true });
    }
  },
);
