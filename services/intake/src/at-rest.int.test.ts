// Issue 11, part 5 ("At rest"), through intake in its own process on a real socket: under umask
// 000 every file it writes is 0600 in 0700 folders; with encryption at rest the ZIP spool holds no
// byte of the upload in the clear and is still read (at random offsets) into an accepted bundle;
// leftovers are swept periodically while the files of uploads in flight are left alone.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContentStore } from '@triage/content-store';
import { pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { makeZip } from '@triage/testkit';
import { expect } from 'vitest';
import { jsonBundle, minimalReport } from './testing/intake-harness.ts';
import { type IntakeProcess, startIntakeProcess } from './testing/intake-process.ts';
import { openUpload, twoImageUpload } from './testing/raw-upload.ts';

const keyBytes = randomBytes(32);
const encryptionEnv = {
  CONTENT_STORE_KEYS: `k1:${keyBytes.toString('base64')}`,
  CONTENT_STORE_WRITE_KEY_ID: 'k1',
};
const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

async function foldersUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return [
    folder,
    ...entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name)),
  ];
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 100) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The HTTP status intake answers on a raw upload socket. */
function statusOf(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (match) resolve(Number(match[1]));
    });
    socket.on('error', reject);
  });
}

/** A ZIP of a manifest and one 400 KB synthetic media file (stored), and the media's bytes. */
async function zipUpload(ref: string, reportId: string) {
  const media = Buffer.concat([Buffer.from('synthetic media bytes '), randomBytes(400_000)]);
  const manifest = jsonBundle(ref, [minimalReport(reportId, { files: [{ fileId: 'f', name: 'c.bin' }] })]);
  const zip = await makeZip([
    { name: 'bundle.json', data: manifest },
    { name: 'c.bin', data: media, compress: false },
  ]);
  return { zip, media, manifest };
}

const partner = 'hotline-rest';

/**
 * Intake in its own process started under umask 000 (the child inherits it: modes must come from
 * intake itself), with encryption at rest; the sockets `use` opens are closed after it.
 */
async function withIntake(
  kafka: KafkaFixture,
  env: Record<string, string>,
  use: (intake: IntakeProcess, key: string, sockets: Socket[]) => Promise<void>,
): Promise<void> {
  await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
  const root = await mkdtemp(path.join(tmpdir(), 'intake-at-rest-'));
  const sockets: Socket[] = [];
  let intake: IntakeProcess | undefined;
  const previous = process.umask(0o000);
  try {
    intake = await startIntakeProcess({
      connection: kafka.connection,
      root,
      partners: [partner],
      // Every ZIP spooled, however small: these tests look at the spool.
      env: { ...encryptionEnv, INTAKE_ZIP_MEMORY_BYTES: '0', ...env },
    }).finally(() => process.umask(previous));
    await use(intake, intake.keys.get(partner)!, sockets);
  } finally {
    for (const socket of sockets) socket.destroy();
    await intake?.stop();
    await rm(root, { recursive: true, force: true });
  }
}

kafkaTest(
  'given umask 000 and encryption at rest, then spools, staged and stored files are 0600 in 0700 folders, the spool holds nothing in the clear, and the ZIP is accepted',
  async ({ kafka }) => {
    await withIntake(kafka, {}, async (intake, key, sockets) => {
      const { zip, media, manifest } = await zipUpload('at-rest-zip', '920001');

      // Half the ZIP sent (several 64 KiB segments): the spool as it lies on disk mid-upload.
      const upload = await openUpload(intake.url, key, 'application/zip', zip.length);
      sockets.push(upload);
      const answered = statusOf(upload);
      upload.write(zip.subarray(0, 300_000));
      await waitFor(async () => {
        const [file] = await filesUnder(intake.spoolDir);
        return file !== undefined && (await stat(file)).size > 200_000;
      }, 'a spooled ZIP');
      const [spoolFile] = await filesUnder(intake.spoolDir);
      expect(await modeOf(spoolFile!)).toBe(0o600);
      expect(await modeOf(intake.spoolDir)).toBe(0o700);
      const spooled = await readFile(spoolFile!);
      expect(spooled.subarray(0, 4).toString('ascii')).toBe('TCSE');
      expect(spooled.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
      expect(spooled.includes(manifest.subarray(0, 32))).toBe(false);
      expect(spooled.includes(media.subarray(0, 32))).toBe(false);
      expect(spooled.includes(media.subarray(100_000, 100_032))).toBe(false);

      // A multipart upload held after its first image: the staged file.
      const form = await twoImageUpload('at-rest-multipart', '920002', 921);
      const held = await openUpload(intake.url, key, form.contentType, form.payload.length);
      sockets.push(held);
      held.on('error', () => undefined);
      held.write(form.payload.subarray(0, form.secondAt + 10));
      const staging = path.join(intake.contentRoot, 'tmp');
      await waitFor(async () => (await filesUnder(staging)).length > 0, 'a staged file');
      for (const file of await filesUnder(staging)) expect(await modeOf(file)).toBe(0o600);
      held.destroy();

      // The rest of the ZIP: read back through the encrypted spool, accepted.
      upload.write(zip.subarray(300_000));
      expect(await answered).toBe(202);
      await waitFor(async () => (await filesUnder(intake.spoolDir)).length === 0, 'the spool removed');

      const stored = await filesUnder(path.join(intake.contentRoot, 'sha256'));
      expect(stored.length).toBe(1);
      for (const file of stored) expect(await modeOf(file)).toBe(0o600);
      for (const folder of [
        ...(await foldersUnder(intake.contentRoot)),
        path.join(path.dirname(intake.contentRoot), 'reclaim'),
      ]) {
        expect({ folder, mode: await modeOf(folder) }).toEqual({ folder, mode: 0o700 });
      }
      const onDisk = await readFile(stored[0]!);
      expect(onDisk.readUInt8(4)).toBe(2);
      const store = new ContentStore({
        root: intake.contentRoot,
        encryption: { keys: new Map([['k1', keyBytes]]), writeKeyId: 'k1' },
      });
      const back: Buffer[] = [];
      for await (const chunk of await store.open(path.basename(stored[0]!))) back.push(chunk as Buffer);
      expect(Buffer.concat(back)).toEqual(media);
    });
  },
);

kafkaTest(
  'given a short sweep interval, then leftover spools and staged files go while intake runs, and the files of uploads in flight stay',
  async ({ kafka }) => {
    const env = { INTAKE_SWEEP_INTERVAL_MS: '1000', INTAKE_LEFTOVER_AGE_MS: '1000' };
    await withIntake(kafka, env, async (intake, key, sockets) => {
      const staging = path.join(intake.contentRoot, 'tmp');

      // In flight and idle (their files stop changing): a half-sent ZIP and a multipart upload
      // held after its first image.
      const { zip } = await zipUpload('sweep-zip', '930001');
      const upload = await openUpload(intake.url, key, 'application/zip', zip.length);
      sockets.push(upload);
      const answered = statusOf(upload);
      upload.write(zip.subarray(0, 200_000));
      const form = await twoImageUpload('sweep-multipart', '930002', 931);
      const held = await openUpload(intake.url, key, form.contentType, form.payload.length);
      sockets.push(held);
      held.on('error', () => undefined);
      held.write(form.payload.subarray(0, form.secondAt + 10));
      await waitFor(async () => (await filesUnder(intake.spoolDir)).length === 1, 'the spool');
      // The first image staged, the second begun.
      await waitFor(async () => (await filesUnder(staging)).length === 2, 'the staged files');
      const inFlight = [...(await filesUnder(intake.spoolDir)), ...(await filesUnder(staging))];

      // Leftovers of a process that died, an hour old.
      const planted = [path.join(intake.spoolDir, 'bundle-dead.zip'), path.join(staging, 'stage-dead')];
      const anHourAgo = new Date(Date.now() - 60 * 60_000);
      for (const file of planted) {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, randomBytes(1000));
        await utimes(file, anHourAgo, anHourAgo);
      }
      await waitFor(async () => {
        const left = await Promise.all(
          planted.map((file) =>
            stat(file).then(
              () => true,
              () => false,
            ),
          ),
        );
        return !left.includes(true);
      }, 'the leftovers swept');
      // Several sweeps have passed the idle in-flight files by: each one is still there.
      await sleep(2_500);
      for (const file of inFlight)
        expect(
          await stat(file).then(
            () => true,
            () => false,
          ),
        ).toBe(true);

      upload.write(zip.subarray(200_000));
      expect(await answered).toBe(202);
    });
  },
);
