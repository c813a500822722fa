// Intake killed (SIGKILL) while uploads are still arriving: nothing was accepted, the partner's
// retry goes through after a restart, and the restart removes the staged media and spooled ZIP
// the dead process left behind.
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { deployedTopic, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { committedRecordCount, kafkaTest } from '@triage/messaging/testing/fixtures';
import { makeZip, syntheticImage } from '@triage/testkit';
import { expect } from 'vitest';
import { jsonBundle, minimalReport } from './testing/intake-harness.ts';
import { type IntakeProcess, startIntakeProcess } from './testing/intake-process.ts';
import { openUpload, twoImageUpload } from './testing/raw-upload.ts';

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** Sends the head and the first `sent` bytes of `body`, and leaves the upload open. */
async function partialUpload(
  url: string,
  key: string,
  contentType: string,
  body: Buffer,
  sent: number,
): Promise<Socket> {
  const socket = await openUpload(url, key, contentType, body.length);
  socket.on('error', () => undefined); // reset when intake is killed
  socket.write(body.subarray(0, sent));
  return socket;
}

/** Bundle records readers see (offsets would count each transaction's commit marker too). */
function bundlesPublished(connection: KafkaConnection): Promise<bigint> {
  return committedRecordCount(connection, deployedTopic(connection, pipelineTopics.bundles.name));
}

/** Every ZIP spooled, however small: the test looks at the spool a killed upload leaves. */
const spoolEveryZip = { INTAKE_ZIP_MEMORY_BYTES: '0' };

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

kafkaTest(
  'given intake killed mid-upload, then nothing was published, and a restart removes its leftovers and takes the retry',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
    const root = await mkdtemp(path.join(tmpdir(), 'intake-killed-'));
    const sockets: Socket[] = [];
    let intake: IntakeProcess | undefined;
    try {
      intake = await startIntakeProcess({
        connection: kafka.connection,
        root,
        partners: ['hotline-killed'],
        env: spoolEveryZip,
      });
      const key = intake.keys.get('hotline-killed')!;
      const { contentRoot, spoolDir } = intake;
      const form = await twoImageUpload('killed-multipart', '910001', 911);
      const zip = await makeZip([
        {
          name: 'bundle.json',
          data: jsonBundle('killed-zip', [
            minimalReport('910002', { files: [{ fileId: 'f', name: 'c.png' }] }),
          ]),
        },
        { name: 'c.png', data: await syntheticImage(913, 64, 48), compress: false },
      ]);
      sockets.push(
        await partialUpload(intake.url, key, form.contentType, form.payload, form.secondAt + 100),
        await partialUpload(intake.url, key, 'application/zip', zip, zip.length >> 1),
      );
      // The first image is staged and half the ZIP spooled when the process dies.
      const staging = path.join(contentRoot, 'tmp');
      await waitFor(async () => (await filesUnder(staging)).length > 0, 'a staged file');
      await waitFor(async () => (await filesUnder(spoolDir)).length > 0, 'a spooled ZIP');
      process.kill(intake.pid, 'SIGKILL');
      expect(await intake.stop()).toBeNull();
      const leftovers = [...(await filesUnder(staging)), ...(await filesUnder(spoolDir))];
      expect(leftovers.length).toBeGreaterThanOrEqual(2);
      expect(await filesUnder(path.join(contentRoot, 'sha256'))).toEqual([]);
      expect(await bundlesPublished(kafka.connection)).toBe(0n);

      // An hour later (the sweep keeps younger files: another instance may still be writing them).
      const anHourAgo = new Date(Date.now() - 61 * 60_000);
      for (const file of leftovers) await utimes(file, anHourAgo, anHourAgo);
      intake = await startIntakeProcess({
        connection: kafka.connection,
        root,
        partners: ['hotline-killed'],
        env: spoolEveryZip,
      });
      expect(await filesUnder(staging)).toEqual([]);
      expect(await filesUnder(spoolDir)).toEqual([]);

      const retried = await fetch(`${intake.url}/v1/bundles`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${intake.keys.get('hotline-killed')!}`,
          'content-type': form.contentType,
        },
        body: form.payload,
      });
      expect(retried.status).toBe(202);
      const receipt = await retried.json();
      expect(receipt).toMatchObject({ files: 2 });
      // Whether the store already held a file stays internal (the access log), never in a receipt.
      expect(receipt).not.toHaveProperty('newFiles');
      expect(await filesUnder(path.join(contentRoot, 'sha256'))).toHaveLength(2);
      expect(await bundlesPublished(kafka.connection)).toBe(1n);
    } finally {
      for (const socket of sockets) socket.destroy();
      await intake?.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
);
