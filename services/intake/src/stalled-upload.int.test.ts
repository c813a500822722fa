// A partner whose upload stops sending: intake answers 408 and keeps nothing, while a slow but
// steady upload still goes through. Real sockets, since inject() has no idle connection.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { makeZip, syntheticImage } from '@triage/testkit';
import { describe, expect } from 'vitest';
import { type IntakeHarness, jsonBundle, minimalReport, startIntake } from './testing/intake-harness.ts';
import { openUpload, twoImageUpload } from './testing/raw-upload.ts';

// Wide margins: a gap of a fifth of the timeout must never look idle on a busy CI machine.
const idleMs = 1_500;

interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/** Sends the head and `chunks` (waiting `gapMs` before each), then reads the answer to the end. */
async function rawPost(
  url: string,
  key: string,
  contentType: string,
  contentLength: number,
  chunks: readonly Buffer[],
  gapMs = 0,
): Promise<RawResponse> {
  const socket = await openUpload(url, key, contentType, contentLength);
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const closed = once(socket, 'close');
  for (const chunk of chunks) {
    if (gapMs > 0) await sleep(gapMs);
    if (!socket.destroyed) socket.write(chunk);
  }
  // A complete body gets its answer on a kept-alive connection: close our side once it is in.
  const answered = (async () => {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const text = Buffer.concat(received).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text.slice(0, head))?.[1];
      if (head >= 0 && length !== undefined && text.length >= head + 4 + Number(length)) return;
      await sleep(50);
    }
  })();
  await Promise.race([answered, closed]);
  socket.end();
  await closed;
  const text = Buffer.concat(received).toString('utf8');
  const head = text.indexOf('\r\n\r\n');
  return {
    status: Number(text.slice(9, 12)),
    headers: text.slice(0, head).toLowerCase(),
    body: text.slice(head + 4),
  };
}

async function settledEmpty(intake: IntakeHarness): Promise<string[]> {
  for (let waited = 0; waited < 5_000; waited += 100) {
    const files = await intake.storedFiles();
    if (files.length === 0) return files;
    await sleep(100);
  }
  return intake.storedFiles();
}

async function listening(kafka: KafkaFixture) {
  await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
  const intake = await startIntake(kafka.connection);
  const app = await intake.variant({ bodyIdleTimeoutMs: idleMs });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { intake, url: `http://127.0.0.1:${port}` };
}

describe('an upload that stops sending', () => {
  kafkaTest(
    'given a multipart upload that stalls after its first file, then 408 TRIAGE_REQUEST_STALLED, the connection closed, nothing stored or published',
    async ({ kafka }) => {
      const { intake, url } = await listening(kafka);
      try {
        const form = await twoImageUpload('stall-multipart', '900001', 901);
        // Up to the middle of the second image: the first is staged by then.
        const sent = form.secondAt + Math.floor(form.secondLength / 2);
        const published = await intake.publishedCount();

        const started = performance.now();
        const response = await rawPost(url, intake.keys.hotline, form.contentType, form.payload.length, [
          form.payload.subarray(0, sent),
        ]);

        expect(response.status).toBe(408);
        expect(JSON.parse(response.body)).toMatchObject({ code: 'TRIAGE_REQUEST_STALLED', pointer: '/body' });
        expect(response.headers).toContain('connection: close');
        expect(performance.now() - started).toBeGreaterThanOrEqual(idleMs);
        expect(await settledEmpty(intake)).toEqual([]);
        expect(await intake.publishedCount()).toEqual(published);
      } finally {
        await intake.close();
      }
    },
  );

  kafkaTest(
    'given a ZIP upload that stalls half-way, then 408 and its spooled half is removed',
    async ({ kafka }) => {
      const { intake, url } = await listening(kafka);
      try {
        const image = await syntheticImage(903, 96, 64);
        const zip = await makeZip([
          {
            name: 'bundle.json',
            data: jsonBundle('stall-zip', [
              minimalReport('900002', { files: [{ fileId: 'f', name: 'a.png' }] }),
            ]),
          },
          { name: 'a.png', data: image, compress: false },
        ]);
        const published = await intake.publishedCount();

        const response = await rawPost(url, intake.keys.hotline, 'application/zip', zip.length, [
          zip.subarray(0, zip.length >> 1),
        ]);

        expect(response.status).toBe(408);
        expect(JSON.parse(response.body)).toMatchObject({ code: 'TRIAGE_REQUEST_STALLED' });
        expect(await settledEmpty(intake)).toEqual([]);
        expect(await intake.publishedCount()).toEqual(published);
      } finally {
        await intake.close();
      }
    },
  );

  kafkaTest(
    'given an upload that is slow but never idle for the timeout, then it is accepted whole',
    async ({ kafka }) => {
      const { intake, url } = await listening(kafka);
      try {
        const image = await syntheticImage(904, 96, 64);
        const zip = await makeZip([
          {
            name: 'bundle.json',
            data: jsonBundle('slow-zip', [
              minimalReport('900003', { files: [{ fileId: 'f', name: 'a.png' }] }),
            ]),
          },
          { name: 'a.png', data: image, compress: false },
        ]);
        // Eight pieces a fifth of the timeout apart: the whole upload takes longer than the timeout.
        const piece = Math.ceil(zip.length / 8);
        const pieces = Array.from({ length: 8 }, (_, index) =>
          zip.subarray(index * piece, (index + 1) * piece),
        );
        const started = performance.now();

        const response = await rawPost(
          url,
          intake.keys.hotline,
          'application/zip',
          zip.length,
          pieces,
          idleMs / 5,
        );

        expect(response.status).toBe(202);
        expect(JSON.parse(response.body)).toMatchObject({ files: 1 });
        expect(performance.now() - started).toBeGreaterThan(idleMs);
      } finally {
        await intake.close();
      }
    },
  );
});
