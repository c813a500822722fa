// Issue 15, item 3: the auth matrix through the live services, each its main.ts in its own process
// on the shared Kafka and Elasticsearch. Intake's partner keys, the triage API's bearer tokens and
// every route x every role (the routes read from the API's own /openapi.json, so a route added
// without a row here fails), hash-check's hoster keys and policies. Every refusal is a problem
// document with its status and code and no data; every allowed triage API read is on the audit
// topic under its request id, every role refusal of an audited route too (as denied). Prints the
// table docs/security.md holds (`## The auth matrix`).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type UserRole, userRoles } from '@triage/auth';
import { ContentStore } from '@triage/content-store';
import { createHosterKey, withHosterKey, writeHostersFile } from '@triage/hosters';
import { startIntakeProcess } from '@triage/intake/testing';
import { pipelineTopics } from '@triage/messaging';
import { committedRecordCount } from '@triage/messaging/testing';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createPartnerKey, readPartnersFile, withKey, withoutKey, writePartnersFile } from '@triage/partners';
import { type AuditEvent, createCodec, recordExamples } from '@triage/schemas';
import { createSearchClient, indexPrefix } from '@triage/search';
import { deletePrefixedIndices, elasticsearchUrl } from '@triage/search/testing/fixtures';
import { startOnFreePort, startServiceProcess } from '@triage/testkit';
import { itemCarrying, seedCases, startTriageApiProcess } from '@triage/triage-api/testing';
import { afterAll, describe, expect } from 'vitest';
import { forgedTokens } from './support/forged-tokens.ts';
import { MatrixTable, problemFields, statusAndCode } from './support/matrix-rows.ts';

const codec = createCodec();
const table = new MatrixTable();
afterAll(() => {
  // The table docs/security.md holds: `pnpm vitest run --project int test/auth-matrix.int.test.ts`.
  process.stdout.write(`\n${table.table()}\n`);
});

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a CSV export, an image): kept as text.
  }
  return { status: response.status, body, headers: response.headers };
}

/** The answer is the problem `expected` (`status CODE`) and carries nothing but a problem's fields. */
function expectRefusal(answer: Answer, expected: string): void {
  expect(statusAndCode(answer.status, answer.body)).toBe(expected);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  for (const field of Object.keys(answer.body as object)) expect(problemFields).toContain(field);
}

describe('intake: partner API keys', () => {
  kafkaTest(
    'given every kind of key, then only a live key of the right scope is let in, and never to another partner’s bundle',
    async ({ kafka }) => {
      await kafka.createTopics([
        pipelineTopics.bundles,
        pipelineTopics.bundleStatus,
        pipelineTopics.takedowns,
      ]);
      const root = await mkdtemp(path.join(tmpdir(), 'auth-matrix-intake-'));
      const intake = await startIntakeProcess({
        connection: kafka.connection,
        root,
        partners: ['partner-a', 'partner-b', 'hotline-h'],
        scopes: { 'hotline-h': ['hotline'] },
      });
      try {
        const partnersFile = path.join(root, 'partners.json');
        const expiredKey = createPartnerKey();
        const revokedKey = createPartnerKey();
        let partners = await readPartnersFile(partnersFile);
        partners = withKey(partners, 'partner-a', {
          id: 'k-expired',
          sha256: expiredKey.sha256,
          notAfter: '2026-01-01T00:00:00Z',
        });
        partners = withKey(partners, 'partner-a', { id: 'k-revoked', sha256: revokedKey.sha256 });
        await writePartnersFile(partnersFile, partners);
        const keyA = intake.keys.get('partner-a')!;
        const keyB = intake.keys.get('partner-b')!;
        const hotlineKey = intake.keys.get('hotline-h')!;
        const bundle = (ref: string) =>
          JSON.stringify({
            bundleRef: ref,
            reports: [
              {
                reportId: ref,
                incidentType: 'Online Enticement of Children for Sexual Acts',
                incidentDateTime: '2026-11-20T21:14:00Z',
                reporter: { companyName: 'Example Social', espService: 'Photos' },
                internetDetails: [{ type: 'webPage', urls: ['https://host.example/page'] }],
              },
            ],
          });
        const post = (authorization: string | null, ref: string) =>
          call(`${intake.url}/v1/bundles`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            body: bundle(ref),
          });
        const read = (authorization: string, bundleId: string) =>
          call(`${intake.url}/v1/bundles/${bundleId}`, { headers: { authorization } });

        // The revoked key works until it is revoked (intake re-reads the file every 2 s).
        await expect
          .poll(async () => (await read(`Bearer ${revokedKey.key}`, 'bndl-000000000000000000000000')).status, { timeout: 20_000 })
          .toBe(404);
        const accepted = await post(`Bearer ${keyA}`, 'matrix-1');
        expect(accepted.status).toBe(202);
        const bundleId = (accepted.body as { bundleId: string }).bundleId;
        table.add({
          service: 'intake',
          who: 'partner A, its key',
          what: 'POST /v1/bundles, then GET its bundle',
          expected: '202, 200',
          got: `${accepted.status}, ${(await read(`Bearer ${keyA}`, bundleId)).status}`,
        });
        await writePartnersFile(
          partnersFile,
          withoutKey(await readPartnersFile(partnersFile), 'partner-a', 'k-revoked'),
        );
        await expect
          .poll(async () => (await read(`Bearer ${revokedKey.key}`, bundleId)).status, { timeout: 20_000 })
          .toBe(401);

        const refusals: { who: string; what: string; answer: () => Promise<Answer>; expected: string }[] = [
          {
            who: 'anyone, no key',
            what: 'POST /v1/bundles',
            answer: () => post(null, 'm-2'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'a malformed key (`Bearer not-a-key`)',
            what: 'POST /v1/bundles',
            answer: () => post('Bearer not-a-key', 'm-3'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'partner A’s key under `Basic`',
            what: 'POST /v1/bundles',
            answer: () => post(`Basic ${keyA}`, 'm-4'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'an unknown key (well formed, never issued)',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${createPartnerKey().key}`, 'm-5'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'a hoster key (`thk_`) at intake',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${createHosterKey().key}`, 'm-6'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'partner A, an expired key (`notAfter` past)',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${expiredKey.key}`, 'm-7'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'partner A, a key revoked while intake runs',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${revokedKey.key}`, 'm-8'),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'partner A, a key revoked while intake runs',
            what: 'GET its own earlier bundle',
            answer: () => read(`Bearer ${revokedKey.key}`, bundleId),
            expected: '401 TRIAGE_AUTH_REQUIRED',
          },
          {
            who: 'a hotline-only key',
            what: 'POST /v1/bundles',
            answer: () => post(`Bearer ${hotlineKey}`, 'm-9'),
            expected: '403 TRIAGE_AUTH_FORBIDDEN',
          },
          {
            who: 'a hotline-only key',
            what: 'GET /v1/bundles/{id}',
            answer: () => read(`Bearer ${hotlineKey}`, bundleId),
            expected: '403 TRIAGE_AUTH_FORBIDDEN',
          },
          {
            who: 'a bundles-only key (partner A)',
            what: 'POST /v1/takedowns',
            answer: () =>
              call(`${intake.url}/v1/takedowns`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${keyA}` },
                body: JSON.stringify({ events: [] }),
              }),
            expected: '403 TRIAGE_AUTH_FORBIDDEN',
          },
          {
            who: 'partner B',
            what: 'GET partner A’s bundle by its id',
            answer: () => read(`Bearer ${keyB}`, bundleId),
            expected: '404 TRIAGE_BUNDLE_NOT_FOUND',
          },
          {
            who: 'partner B',
            what: 'GET a bundle id that never existed',
            answer: () => read(`Bearer ${keyB}`, 'bndl-000000000000000000000000'),
            expected: '404 TRIAGE_BUNDLE_NOT_FOUND',
          },
        ];
        const answers = new Map<string, Answer>();
        for (const row of refusals) {
          const answer = await row.answer();
          answers.set(`${row.who} ${row.what}`, answer);
          table.add({
            service: 'intake',
            who: row.who,
            what: row.what,
            expected: row.expected,
            got: statusAndCode(answer.status, answer.body),
          });
        }
        for (const row of refusals) expectRefusal(answers.get(`${row.who} ${row.what}`)!, row.expected);
        // Existence does not leak: another partner's bundle reads as one that never existed.
        const strip = (answer: Answer) => {
          const { requestId, instance, detail, ...rest } = answer.body as Record<string, unknown>;
          return rest;
        };
        expect(strip(answers.get('partner B GET partner A’s bundle by its id')!)).toEqual(
          strip(answers.get('partner B GET a bundle id that never existed')!),
        );
        expect(JSON.stringify(answers.get('partner B GET partner A’s bundle by its id')!.body)).not.toContain(
          'matrix-1',
        );
        // Nothing a refused request sent was kept: the bundles topic holds partner A's bundle only.
        expect(await committedRecordCount(kafka.connection, kafka.topic(pipelineTopics.bundles.name))).toBe(
          1n,
        );
      } finally {
        await intake.stop();
        await rm(root, { recursive: true, force: true });
      }
    },
  );
});
