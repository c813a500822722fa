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
import { createHosterKey, withHosterKey, writeHostersFile } from '@triage/hosters';
import {
  type BadInputRow,
  badInputRows,
  type IntakeProcess,
  startIntakeProcess,
} from '@triage/intake/testing';
import { isAlive } from '@triage/local-stack';
import { pipelineTopics } from '@triage/messaging';
import { committedRecordCount } from '@triage/messaging/testing';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createSearchClient, indexPrefix } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { hostileManifest, overlappingEntries, sharedLocalBomb } from '@triage/testkit';
import { seedCases, startTriageApiProcess } from '@triage/triage-api/testing';
import { afterAll, describe, expect } from 'vitest';
import { startHashCheckProcess } from './support/hash-check-process.ts';
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
        const raw: BodyRow[] = [
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
            orReset: true,
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
        for (const row of raw)
          await checkBodies('intake', row.what.startsWith('no key') ? 'anyone' : 'a partner (valid key)', [
            row,
          ]);

        // Nothing kept: no stored or staged file, no spool, no record; every process still running.
        for (const intake of intakes.values()) {
          expect(isAlive(intake.pid)).toBe(true);
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

/** One hostile body for a JSON route: what it is, how it is sent, and the problem it must get. */
interface BodyRow {
  what: string;
  expected: string;
  answer: () => Promise<RawAnswer>;
  maxBytesSent?: number;
  /**
   * A body still arriving when the refusal is sent: the service closes the connection after its
   * answer, and a client still writing may get a reset before it reads the answer (a TCP race
   * docs/security.md describes). The row then passes on the bytes bound alone.
   */
  orReset?: boolean;
}

/** Runs the rows, adds them to the table, and checks each answer. */
async function checkBodies(service: string, who: string, rows: readonly BodyRow[]): Promise<void> {
  for (const row of rows) {
    const answer = await row.answer();
    const got = `${answer.status}${answer.code ? ` ${answer.code}` : ''}`;
    table.add({
      service,
      who,
      what: row.what,
      expected:
        row.expected +
        (row.maxBytesSent === undefined ? '' : `, at most ${row.maxBytesSent} body bytes sent`) +
        (row.orReset ? ' (or a reset)' : ''),
      got: `${answer.status === 0 ? 'connection reset before the answer was read' : got}, ${answer.bytesSent} body bytes sent, ${answer.ms} ms`,
    });
    const reset = row.orReset === true && answer.status === 0;
    expect({ what: row.what, got: reset ? row.expected : got }).toEqual({
      what: row.what,
      got: row.expected,
    });
    if (row.maxBytesSent !== undefined) expect(answer.bytesSent).toBeLessThanOrEqual(row.maxBytesSent);
  }
}

/** The hostile JSON bodies every JSON route gets, sent with `headers` to `path`. */
function jsonBodyRows(options: {
  url: string;
  path: string;
  headers: Record<string, string>;
  /** The route's body limit in bytes. */
  limit: number;
  tooLarge: string;
  nested: string;
}): BodyRow[] {
  const send = (body: Iterable<Buffer>, headers: Record<string, string>) =>
    rawRequest({
      url: options.url,
      method: 'POST',
      path: options.path,
      headers: { 'content-type': 'application/json', ...options.headers, ...headers },
      body,
    });
  const deep = Buffer.from(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
  const big = Buffer.from(`{"pad":"${'x'.repeat(8 * 1024 * 1024)}"}`);
  return [
    {
      what: 'a declared 1 GiB JSON body, none of it sent',
      expected: options.tooLarge,
      answer: () => send([], { 'content-length': String(GiB) }),
      maxBytesSent: 0,
    },
    {
      what: `an 8 MiB JSON body, chunked (limit ${options.limit} bytes)`,
      expected: options.tooLarge,
      answer: () => send(split(big, 64 * 1024), { 'transfer-encoding': 'chunked' }),
      maxBytesSent: 8 * 1024 * 1024,
      orReset: true,
    },
    {
      what: 'JSON nested 10 000 arrays deep (20 KB)',
      expected: options.nested,
      answer: () => send([deep], { 'content-length': String(deep.length) }),
    },
  ];
}

function* split(buffer: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}

describe('triage API and hash-check: hostile JSON bodies through the live processes', () => {
  kafkaTest(
    'given oversized, declared-huge and deeply nested bodies, then a problem each, answered before the body is read, the processes alive',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.audit, pipelineTopics.triageActions, pipelineTopics.hashsets]);
      const root = await mkdtemp(path.join(tmpdir(), 'hostile-live-json-'));
      const client = createSearchClient({ url: elasticsearchUrl });
      const prefix = indexPrefix(kafka.connection.topicPrefix ?? '');
      await seedCases(client, prefix, []);
      const hoster = createHosterKey();
      const hostersFile = path.join(root, 'hosters.json');
      await writeHostersFile(
        hostersFile,
        withHosterKey(
          { hosters: [] },
          'host-a',
          { id: 'k1', sha256: hoster.sha256 },
          { lists: ['police-confirmed'] },
        ),
      );
      const [api, hashCheck] = await Promise.all([
        startTriageApiProcess({
          connection: kafka.connection,
          elasticsearchUrl,
          authDir: path.join(root, 'auth'),
        }),
        startHashCheckProcess({ connection: kafka.connection, hostersFile }),
      ]);
      try {
        const actions = '/v1/cases/partner-a%3ACT-1/actions';
        await checkBodies(
          'triage API',
          'an analyst (valid token)',
          jsonBodyRows({
            url: api.url,
            path: actions,
            headers: { authorization: await api.bearer('analyst') },
            limit: 64 * 1024,
            tooLarge: '413 TRIAGE_REQUEST_TOO_LARGE',
            nested: '400 TRIAGE_REQUEST_INVALID',
          }),
        );
        await checkBodies('triage API', 'anyone (no token)', [
          {
            what: 'a declared 1 GiB JSON body, none of it sent',
            expected: '401 TRIAGE_TOKEN_MISSING',
            answer: () =>
              rawRequest({
                url: api.url,
                method: 'POST',
                path: actions,
                headers: { 'content-type': 'application/json', 'content-length': String(GiB) },
                body: [],
              }),
            maxBytesSent: 0,
          },
        ]);
        await checkBodies(
          'hash-check',
          'a hoster (valid key)',
          jsonBodyRows({
            url: hashCheck.url,
            path: '/v1/hash-check',
            headers: { authorization: `Bearer ${hoster.key}` },
            limit: 10_000 * 160 + 4_096,
            tooLarge: '413 TRIAGE_HASH_CHECK_BATCH_TOO_LARGE',
            nested: '400 TRIAGE_REQUEST_INVALID',
          }),
        );
        expect(isAlive(api.pid)).toBe(true);
        expect(isAlive(hashCheck.pid)).toBe(true);
      } finally {
        await Promise.all([api.stop(), hashCheck.stop()]);
        await deletePrefixedIndices(client, prefix).catch(() => undefined);
        await client.close();
        await rm(root, { recursive: true, force: true });
      }
    },
  );
});
