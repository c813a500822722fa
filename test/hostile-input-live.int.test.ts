// Issue 15, item 3: intake's hostile-input tables re-run through the live process (main.ts in
// its own process, real sockets): issue 3's bad-input table row by row (`badInputRows`, the same
// rows the in-process test sends), with issue 11's archive and size vectors; then the triage API's
// and hash-check's hostile bodies. Each row: the status and problem code; after all of them,
// nothing kept (no file in the content store or spool, no record on the bundles or status topics),
// every process alive, and a body declared or sent past a limit answered before it is read.
// Prints the table docs/security.md holds (`## Hostile input through the live APIs`).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHosterKey, withHosterKey, writeHostersFile } from '@triage/hosters';
import {
  type BadInputRow,
  badInputRows,
  type IntakeProcess,
  startIntakeProcess,
} from '@triage/intake/testing';
import { pipelineTopics } from '@triage/messaging';
import { committedRecordCount } from '@triage/messaging/testing';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createSearchClient, indexPrefix } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import {
  hostileManifest,
  overlappingEntries,
  sharedLocalBomb,
  startOnFreePort,
  startServiceProcess,
} from '@triage/testkit';
import { seedCases, startTriageApiProcess } from '@triage/triage-api/testing';
import { afterAll, describe, expect } from 'vitest';
import { MatrixTable, statusAndCode } from './support/matrix-rows.ts';
import { type RawAnswer, rawRequest, repeatedChunks } from './support/raw-request.ts';

const table = new MatrixTable();
afterAll(() => {
  // The table docs/security.md holds: `pnpm vitest run --project int test/hostile-input-live.int.test.ts`.
  process.stdout.write(`\n${table.table()}\n`);
});

const partner = 'hotline-hostile';
const GiB = 1024 ** 3;

/** `INTAKE_MAX_*` for a row's limits (`maxFileBytes` -> `INTAKE_MAX_FILE_BYTES`). */
function limitEnv(limits: BadInputRow['limits']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(limits ?? {}).map(([name, value]) => [
      `INTAKE_${name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`,
      String(value),
    ]),
  );
}

/**
 * The rows that run live, by the limits they need: one intake per set. The limits of the
 * first four rows do not get in each other's way, so they share one; the total-uncompressed row
 * has its own (its 120 KB body is over the others' bundle limit).
 */
function limitGroups(rows: readonly BadInputRow[]): Map<string, BadInputRow[]> {
  const shared = { maxBundleBytes: 50_000, maxFileBytes: 10_000, maxDocumentBytes: 2_000, maxEntries: 3 };
  const groups = new Map<string, BadInputRow[]>();
  for (const row of rows) {
    const limits = row.limits === undefined ? {} : 'maxUncompressedBytes' in row.limits ? row.limits : shared;
    const key = JSON.stringify(limitEnv(limits));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('intake: the bad-input and hostile-input tables through the live process', () => {
  kafkaTest(
    'given each row over HTTP, then its status and code, nothing stored or published, and the process alive',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
      const root = await mkdtemp(path.join(tmpdir(), 'hostile-live-'));
      // The Bundle-record row depends on the topic's record limit, which only the in-process app can lower.
      const rows = badInputRows.filter((row) => row.recordMaxBytes === undefined);
      const groups = limitGroups(rows);
      const intakes = new Map<string, IntakeProcess>();
      try {
        await Promise.all(
          [...groups.keys()].map(async (key, index) => {
            const intake = await startIntakeProcess({
              connection: kafka.connection,
              root: path.join(root, `intake-${index}`),
              partners: [partner],
              env: JSON.parse(key) as Record<string, string>,
            });
            intakes.set(key, intake);
          }),
        );
        const defaults = intakes.get(JSON.stringify({}))!;
        const limited = intakes.get(
          JSON.stringify(
            limitEnv({
              maxBundleBytes: 50_000,
              maxFileBytes: 10_000,
              maxDocumentBytes: 2_000,
              maxEntries: 3,
            }),
          ),
        )!;
        for (const [key, groupRows] of groups) {
          const intake = intakes.get(key)!;
          for (const row of groupRows) {
            const request = await row.request();
            const response = await fetch(`${intake.url}${request.url ?? '/v1/bundles'}`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${intake.keys.get(partner)}`,
                'content-type': request.contentType,
                ...request.headers,
              },
              body: request.payload,
            });
            const problem = (await response.json()) as { code?: string; pointer?: string };
            table.add({
              service: 'intake',
              who: 'a partner (valid key)',
              what: row.name,
              expected: `${row.status} ${row.code}`,
              got: statusAndCode(response.status, problem),
            });
            expect(response.headers.get('content-type')).toContain('application/problem+json');
            expect({
              row: row.name,
              status: response.status,
              code: problem.code,
              pointer: problem.pointer,
            }).toEqual({
              row: row.name,
              status: row.status,
              code: row.code,
              pointer: row.pointer,
            });
          }
        }

        // Issue 11's vectors and bodies past a limit, on raw sockets.
        const key = defaults.keys.get(partner)!;
        const upload = (
          intake: IntakeProcess,
          contentType: string,
          body: Iterable<Buffer>,
          headers: Record<string, string> = {},
        ) =>
          rawRequest({
            url: intake.url,
            method: 'POST',
            path: '/v1/bundles',
            headers: {
              authorization: `Bearer ${intake.keys.get(partner)}`,
              'content-type': contentType,
              ...headers,
            },
            body,
          });
        const zipBody = (zip: Buffer) => ({ 'content-length': String(zip.length) });
        const sharedBomb = sharedLocalBomb(hostileManifest('live-shared'));
        const nested = overlappingEntries(hostileManifest('live-nested'));
        const raw: {
          what: string;
          expected: string;
          answer: () => Promise<RawAnswer>;
          maxBytesSent?: number;
        }[] = [
          {
            what: 'a declared 10 GiB JSON body, none of it sent',
            expected: '413 TRIAGE_BUNDLE_TOO_LARGE',
            answer: () => upload(defaults, 'application/json', [], { 'content-length': String(10 * GiB) }),
            maxBytesSent: 0,
          },
          {
            what: 'a chunked ZIP of 64 MiB sent to a 50 000-byte bundle limit',
            expected: '413 TRIAGE_BUNDLE_TOO_LARGE',
            answer: () =>
              upload(limited, 'application/zip', repeatedChunks(1_024, 64 * 1024), {
                'transfer-encoding': 'chunked',
              }),
            // The limit plus what the sockets' buffers took before the answer arrived.
            maxBytesSent: 16 * 1024 * 1024,
          },
          {
            what: 'no key, a declared 10 GiB body, none of it sent',
            expected: '401 TRIAGE_AUTH_REQUIRED',
            answer: () =>
              rawRequest({
                url: defaults.url,
                method: 'POST',
                path: '/v1/bundles',
                headers: { 'content-type': 'application/zip', 'content-length': String(10 * GiB) },
                body: [],
              }),
            maxBytesSent: 0,
          },
          {
            what: 'a chunked body whose chunk size is no hex number (broken HTTP framing)',
            expected: '400 TRIAGE_REQUEST_INVALID',
            answer: () =>
              rawRequest({
                url: defaults.url,
                method: 'POST',
                path: '/v1/bundles',
                headers: {
                  authorization: `Bearer ${key}`,
                  'content-type': 'application/zip',
                  'transfer-encoding': 'chunked',
                },
                body: [Buffer.from('ZZZZ\r\nnot a chunk\r\n')],
                unframed: true,
              }),
          },
          {
            what: 'a query string of 20 000 characters (request line over 16 KiB)',
            expected: '431 TRIAGE_REQUEST_HEADERS_TOO_LARGE',
            answer: () =>
              rawRequest({
                url: defaults.url,
                method: 'POST',
                path: `/v1/bundles?reportId=${'a'.repeat(20_000)}`,
                headers: {
                  authorization: `Bearer ${key}`,
                  'content-type': 'application/xml',
                  'content-length': '0',
                },
                body: [],
              }),
          },
          {
            what: '3 000 central records sharing one 1 MiB local entry (186 KB ZIP)',
            expected: '400 TRIAGE_BUNDLE_ZIP_OVERLAP',
            answer: () => upload(defaults, 'application/zip', [sharedBomb], zipBody(sharedBomb)),
          },
          {
            what: 'an entry stored inside another entry’s data',
            expected: '400 TRIAGE_BUNDLE_ZIP_OVERLAP',
            answer: () => upload(defaults, 'application/zip', [nested], zipBody(nested)),
          },
          {
            what: 'a JSON manifest nested 100 000 arrays deep',
            expected: '422 TRIAGE_BUNDLE_JSON_SCHEMA',
            answer: () => {
              const body = Buffer.from(
                `{"bundleRef":"deep","reports":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
              );
              return upload(defaults, 'application/json', [body], { 'content-length': String(body.length) });
            },
          },
        ];
        for (const row of raw) {
          const answer = await row.answer();
          const got = `${answer.status}${answer.code ? ` ${answer.code}` : ''}`;
          table.add({
            service: 'intake',
            who: row.what.startsWith('no key') ? 'anyone' : 'a partner (valid key)',
            what: row.what,
            expected:
              row.expected +
              (row.maxBytesSent === undefined ? '' : `, at most ${row.maxBytesSent} body bytes sent`),
            got: `${got}, ${answer.bytesSent} body bytes sent, ${answer.ms} ms`,
          });
          expect({ what: row.what, got }).toEqual({ what: row.what, got: row.expected });
          if (row.maxBytesSent !== undefined) expect(answer.bytesSent).toBeLessThanOrEqual(row.maxBytesSent);
        }

        // Nothing kept: no stored or staged file, no spool, no record; every process still running.
        for (const intake of intakes.values()) {
          expect(alive(intake.pid)).toBe(true);
          await expect
            .poll(() => filesUnder(intake.contentRoot, intake.spoolDir), { timeout: 10_000 })
            .toEqual([]);
        }
        expect(await committedRecordCount(kafka.connection, kafka.topic(pipelineTopics.bundles.name))).toBe(
          0n,
        );
        expect(
          await committedRecordCount(kafka.connection, kafka.topic(pipelineTopics.bundleStatus.name)),
        ).toBe(0n);
      } finally {
        await Promise.all([...intakes.values()].map((intake) => intake.stop(5_000)));
        await rm(root, { recursive: true, force: true });
      }
    },
  );
});

/** Every file under the folders (stored media, staged files, spooled ZIPs). */
async function filesUnder(...folders: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const folder of folders) {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
  }
  return files;
}
