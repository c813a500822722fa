// Issue 11, memory and CPU: hostile uploads through intake's live socket, intake in its own
// process with a 90 MB old-space cap. Each vector records status, code, time to refusal, bytes
// left on intake's disks and the process's peak RSS; the table is printed for the README.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { afterAll, describe, expect } from 'vitest';
import {
  bytesUnder,
  type HostileAnswer,
  hostileMultipartType,
  multipartEnd,
  partHead,
  sendHostileUpload,
} from './testing/hostile-upload.ts';
import { jsonBundle, minimalReport, ncmecDocument } from './testing/intake-harness.ts';
import { type IntakeProcess, startIntakeProcess } from './testing/intake-process.ts';

const MiB = 1024 * 1024;
const partner = 'hotline-hostile';
/** Short windows so the slow vectors finish in seconds; the defaults are minutes. */
const env = {
  NODE_OPTIONS: '--max-old-space-size=90',
  INTAKE_MIN_BODY_BYTES_PER_SECOND: '1000',
  INTAKE_BODY_RATE_WINDOW_MS: '3000',
  INTAKE_BODY_DEADLINE_MS: '600000',
  INTAKE_SHUTDOWN_GRACE_MS: '2000',
};
/** How long a client waits for an answer before it gives up (a vector intake never refuses). */
const giveUpMs = 20_000;

interface Row extends HostileAnswer {
  vector: string;
  stagedBytes: number;
  peakRss: number;
  alive: boolean;
  extra?: string;
}
const rows: Row[] = [];

afterAll(() => {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  const lines = rows.map(
    (row) =>
      `| ${row.vector} | ${row.status || 'connection dropped'} | ${row.code ?? '-'} | ${row.ms} ms | ${row.stagedBytes} | ${mb(row.peakRss)} | ${row.alive ? 'alive' : 'exited'}${row.extra ? `; ${row.extra}` : ''} |`,
  );
  console.warn(`hostile-input table\n${lines.join('\n')}`);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A fileDetails document for report 4564654 of `size` bytes or more, its bulk in `additionalInfo` elements of `fieldChars` each. */
function* fileDetailsChunks(fileId: string, size: number, fieldChars: number): Generator<Buffer> {
  yield Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<fileDetails><reportId>4564654</reportId><fileId>${fileId}</fileId><originalFileName>${fileId}.jpg</originalFileName>`,
  );
  const field = Buffer.from(`<additionalInfo>${'a'.repeat(fieldChars)}</additionalInfo>`);
  for (let sent = 0; sent < size; sent += field.length) yield field;
  yield Buffer.from('</fileDetails>');
}

async function* xmlPackage(fileDetails: Iterable<Iterable<Buffer>>): AsyncGenerator<Buffer> {
  yield partHead('manifest', 'report.xml', 'application/xml');
  yield await ncmecDocument('ncmec-doc-6.1-report.xml');
  yield Buffer.from('\r\n');
  let index = 0;
  for (const document of fileDetails) {
    index += 1;
    yield partHead('fileDetails', `fileDetails-${index}.xml`, 'application/xml');
    // Several chunks at once: the socket's own buffering, not one write per element.
    let batch: Buffer[] = [];
    for (const chunk of document) {
      batch.push(chunk);
      if (batch.length >= 64) {
        yield Buffer.concat(batch);
        batch = [];
      }
    }
    yield Buffer.concat([...batch, Buffer.from('\r\n')]);
  }
  yield multipartEnd;
}

/** A JSON bundle with one media file sent `chunkBytes` every `gapMs` for up to `totalMs`. */
async function* tricklingUpload(chunkBytes: number, gapMs: number, totalMs: number): AsyncGenerator<Buffer> {
  yield partHead('manifest', 'bundle.json', 'application/json');
  yield jsonBundle(`trickle-${chunkBytes}-${gapMs}`, [
    minimalReport('700001', { files: [{ fileId: 'f-1', name: 'a.bin' }] }),
  ]);
  yield Buffer.from('\r\n');
  yield partHead('file', 'a.bin', 'application/octet-stream');
  const started = performance.now();
  while (performance.now() - started < totalMs) {
    yield Buffer.alloc(chunkBytes, 0x5a);
    await sleep(gapMs);
  }
  yield Buffer.from('\r\n');
  yield multipartEnd;
}

async function withIntake(
  kafka: KafkaFixture,
  run: (intake: IntakeProcess) => Promise<Omit<Row, 'stagedBytes' | 'peakRss' | 'alive'>>,
): Promise<Row> {
  await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
  const root = await mkdtemp(path.join(tmpdir(), 'intake-hostile-'));
  const intake = await startIntakeProcess({ connection: kafka.connection, root, partners: [partner], env });
  // Sampled while it runs: a process that crashes (or exits on SIGTERM) has no figure after.
  let peakRss = 0;
  const sampler = setInterval(() => {
    void intake.peakRssBytes().then(
      (bytes) => {
        peakRss = Math.max(peakRss, bytes);
      },
      () => undefined,
    );
  }, 50);
  try {
    const answer = await run(intake);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, await intake.peakRssBytes().catch(() => 0));
    // Let a refused upload's clean-up finish before counting what it left.
    await sleep(1_000);
    const stagedBytes = await bytesUnder(intake.contentRoot, intake.spoolDir);
    const row: Row = { ...answer, stagedBytes, peakRss, alive: alive(intake.pid) };
    rows.push(row);
    return row;
  } finally {
    clearInterval(sampler);
    await intake.stop(5_000);
    await rm(root, { recursive: true, force: true });
  }
}

/** An XML package needs an Idempotency-Key; a JSON one has its bundleRef. */
const upload = (intake: IntakeProcess, body: AsyncIterable<Buffer>, idempotencyKey?: string) =>
  sendHostileUpload({
    url: intake.url,
    key: intake.keys.get(partner)!,
    contentType: hostileMultipartType,
    headers: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
    body,
  });

describe('hostile input through the live socket (intake with a 90 MB heap cap)', () => {
  kafkaTest(
    'given 8 fileDetails documents of 15 MiB each, then 413 TRIAGE_BUNDLE_METADATA_TOO_LARGE while the process lives',
    { timeout: 120_000 },
    async ({ kafka }) => {
      const row = await withIntake(kafka, async (intake) => ({
        vector: '8 fileDetails documents x 15 MiB (fields of 60 000 chars)',
        ...(await upload(
          intake,
          xmlPackage(
            Array.from({ length: 8 }, (_, index) => fileDetailsChunks(`f-${index}`, 15 * MiB, 60_000)),
          ),
          'hostile-many',
        )),
      }));
      expect(row).toMatchObject({ status: 413, code: 'TRIAGE_BUNDLE_METADATA_TOO_LARGE', alive: true });
      expect(row.peakRss).toBeLessThan(400_000_000);
    },
  );

  kafkaTest(
    'given one XML text field of 15 MiB, then 422 TRIAGE_BUNDLE_XML_SCHEMA at the field cap',
    { timeout: 120_000 },
    async ({ kafka }) => {
      const row = await withIntake(kafka, async (intake) => ({
        vector: 'one XML text field of 15 MiB',
        ...(await upload(intake, xmlPackage([fileDetailsChunks('f-1', 15 * MiB, 15 * MiB)]), 'hostile-text')),
      }));
      expect(row).toMatchObject({ status: 422, code: 'TRIAGE_BUNDLE_XML_SCHEMA', alive: true });
    },
  );

  kafkaTest(
    'given a 16-million-digit xs:long, then 422 TRIAGE_BUNDLE_XML_SCHEMA within a second',
    { timeout: 120_000 },
    async ({ kafka }) => {
      const digits = function* () {
        yield Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<fileDetails><reportId>');
        for (let index = 0; index < 16; index += 1) yield Buffer.alloc(1_000_000, 0x37);
        yield Buffer.from('</reportId><fileId>f-1</fileId></fileDetails>');
      };
      const row = await withIntake(kafka, async (intake) => ({
        vector: 'a 16-million-digit xs:long',
        ...(await upload(intake, xmlPackage([digits()]), 'hostile-digits')),
      }));
      expect(row).toMatchObject({ status: 422, code: 'TRIAGE_BUNDLE_XML_SCHEMA', alive: true });
      // 1.2 s measured, 8.5 s before the fix; loose for a loaded machine.
      expect(row.ms).toBeLessThan(6_000);
    },
  );

  kafkaTest(
    'given an upload trickling 256 bytes/s, never idle, then 408 TRIAGE_REQUEST_STALLED after the rate window and nothing kept',
    { timeout: 120_000 },
    async ({ kafka }) => {
      const row = await withIntake(kafka, async (intake) => ({
        vector: 'upload trickling 64 bytes every 250 ms',
        ...(await upload(intake, tricklingUpload(64, 250, giveUpMs))),
      }));
      expect(row).toMatchObject({ status: 408, code: 'TRIAGE_REQUEST_STALLED', stagedBytes: 0, alive: true });
      expect(row.ms).toBeLessThan(giveUpMs / 2);
    },
  );

  kafkaTest(
    'given SIGTERM during a steady upload, then the upload is answered 503 after the shutdown grace, nothing is kept and the process exits',
    { timeout: 120_000 },
    async ({ kafka }) => {
      let exitedMs = -1;
      const row = await withIntake(kafka, async (intake) => {
        let signalledAt = 0;
        const answer = await sendHostileUpload({
          url: intake.url,
          key: intake.keys.get(partner)!,
          contentType: hostileMultipartType,
          body: tricklingUpload(4096, 250, giveUpMs),
          onStarted: () => {
            setTimeout(() => {
              signalledAt = performance.now();
              process.kill(intake.pid, 'SIGTERM');
              void (async () => {
                while (alive(intake.pid)) await sleep(50);
                exitedMs = Math.round(performance.now() - signalledAt);
              })();
            }, 1_000);
          },
        });
        for (let waited = 0; waited < 10_000 && exitedMs < 0; waited += 100) await sleep(100);
        return {
          vector: 'SIGTERM during an upload sending 16 KiB/s',
          ...answer,
          ms: Math.round(answer.ms - 1_000),
          extra: `exit ${exitedMs < 0 ? 'not within 10 s of the answer' : `${exitedMs} ms after SIGTERM`}`,
        };
      });
      expect(row).toMatchObject({ status: 503, code: 'TRIAGE_SHUTTING_DOWN', stagedBytes: 0 });
      expect(exitedMs).toBeGreaterThan(0);
      expect(exitedMs).toBeLessThan(8_000);
    },
  );
});
